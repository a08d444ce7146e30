-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

This is a poem about a great escape.

- From the depths of the underworld, a monster roared in the morning.
The villagers were wary, for they have all heard the awful stories
- -told by their parents when they were very young.

- -- Unknown Artist
-----BEGIN PGP SIGNATURE-----

iHUEARYIAB0WIQQ50QCrZ9W9jAQBAgX7N1HxWH2u8QUCYCad2gAKCRD7N1HxWH2u
8Vs+AP4iITZS0BxoCeJbyUHMcArrZbte9msAndEO9clJG5wpCAEA2e7FSZ/GaAzq
X5YLqccgcod6K94lAMGzkFgerOSHpA8=
=0W4n
-----END PGP SIGNATURE-----
