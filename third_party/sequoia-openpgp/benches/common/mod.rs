pub(super) mod decrypt;
pub(super) mod encrypt;
