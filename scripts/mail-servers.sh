#!/usr/bin/env bash
# Local Postfix + Dovecot for the demo webmail and its tests: configured in a
# directory of their own (nothing in /etc is read or changed beyond what the
# Debian packages installed), loopback only, unprivileged ports, two users.
#
#   scripts/mail-servers.sh start DIR   configure and start; prints the settings
#   scripts/mail-servers.sh stop DIR    stop both (safe to call twice)
#
# Ports (environment, defaults in brackets): IMAP_PORT [1143], SUBMISSION_PORT
# [1587] (SMTP AUTH required: the demo server sends here), MX_PORT [1025] (an
# inbound MTA's port: mail for example.org from anyone, no relay), LMTP_PORT
# [1024] and AUTH_PORT [1026] (Postfix → Dovecot).  Users (MAIL_DOMAIN
# [example.org]): alice and bob, passwords ALICE_PASSWORD ["alice mail
# password"] and BOB_PASSWORD ["bob mail password"].
#
# TLS=1 adds TLS with a test CA made for this run (DIR/tls/ca.pem; its key
# is deleted once the server certificate, for 127.0.0.1 and localhost, is
# signed): Dovecot answers IMAPS on IMAPS_PORT [1993], and the submission
# port requires STARTTLS before AUTH.  The demo server trusts the CA with
# --ca DIR/tls/ca.pem.
#
# Dovecot runs its mail processes as the current user (as `mail` when that is
# root: Dovecot refuses root for mail).  Postfix's master must run as root
# (it drops to the `postfix` user for its daemons): as another user the
# script says so and stops.  DIR/env holds the settings as shell variables;
# DIR/postfix.log and DIR/dovecot.log the logs.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

say() { printf '[mail-servers] %s\n' "$*" >&2; }

stop() {
  local d=$1
  if [ -f "$d/postfix/main.cf" ]; then
    postfix -c "$d/postfix" stop >/dev/null 2>&1 || true
  fi
  if [ -f "$d/dovecot.conf" ]; then
    doveadm -c "$d/dovecot.conf" stop >/dev/null 2>&1 || true
  fi
  # Wait until the ports are closed (a restart reuses them).
  # (In a subshell: the old run's settings must not replace this run's.)
  if [ -f "$d/env" ]; then (
    # shellcheck disable=SC1091
    . "$d/env"
    ports=("$IMAP_PORT" "$SUBMISSION_PORT" "$MX_PORT" "$LMTP_PORT")
    [ "${TLS:-0}" = 1 ] && ports+=("$IMAPS_PORT")
    for port in "${ports[@]}"; do
      for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; sleep 0.1; done
    done
  ) fi
}

case "$cmd" in
  stop) stop "$dir"; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

command -v postfix >/dev/null && command -v dovecot >/dev/null \
  || { say "postfix and dovecot are not installed: run scripts/setup.sh --browser"; exit 1; }
[ "$(id -u)" = 0 ] || { say "Postfix's master process needs root (it drops to the postfix user itself)"; exit 1; }

IMAP_PORT=${IMAP_PORT:-1143}
SUBMISSION_PORT=${SUBMISSION_PORT:-1587}
MX_PORT=${MX_PORT:-1025}
LMTP_PORT=${LMTP_PORT:-1024}
AUTH_PORT=${AUTH_PORT:-1026}
IMAPS_PORT=${IMAPS_PORT:-1993}
TLS=${TLS:-0}
MAIL_DOMAIN=${MAIL_DOMAIN:-example.org}
ALICE_PASSWORD=${ALICE_PASSWORD:-alice mail password}
BOB_PASSWORD=${BOB_PASSWORD:-bob mail password}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stop "$dir"
# Dovecot's and Postfix's unprivileged processes must reach their parts of DIR.
chmod 0755 "$dir"
p=$dir
while [ "$p" != / ]; do
  p=$(dirname "$p")
  [ "$(( 0$(stat -c %a "$p") & 1 ))" = 1 ] || { say "$p is not searchable by other users (postfix, dovecot): chmod o+x it or use another DIR"; exit 1; }
done

if [ "$(id -u)" = 0 ]; then mail_user=mail; else mail_user=$(id -un); fi
mail_uid=$(id -u "$mail_user")
mail_gid=$(id -g "$mail_user")

# ---------------------------------------------------------------------- TLS
if [ "$TLS" = 1 ]; then
  command -v openssl >/dev/null || { say "TLS=1 needs openssl"; exit 1; }
  t=$dir/tls
  rm -rf "$t"; mkdir -p "$t"; chmod 0755 "$t"
  ossl() { openssl "$@" >/dev/null 2>"$t/openssl.err" || { say "openssl $1 failed:"; cat "$t/openssl.err" >&2; exit 1; }; }
  ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=sealpost demo test CA $(date -u +%Y%m%d%H%M%S)" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$t/ca.key" -out "$t/ca.pem"
  ossl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$t/server.key" -out "$t/server.csr"
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' > "$t/server.ext"
  ossl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -days 2 \
    -extfile "$t/server.ext" -out "$t/server.pem"
  rm -f "$t/ca.key" "$t/server.csr" "$t/ca.srl"
  chmod 0600 "$t/server.key"
fi

# ------------------------------------------------------------------ Dovecot
mkdir -p "$dir/mail" "$dir/dovecot-run" "$dir/dovecot-state"
chown "$mail_uid:$mail_gid" "$dir/mail"
: > "$dir/dovecot-users"
for u in alice bob; do
  pw_var="${u^^}_PASSWORD"
  # passwd-file: user:{scheme}password:uid:gid::home
  printf '%s@%s:{PLAIN}%s:%s:%s::%s\n' "$u" "$MAIL_DOMAIN" "${!pw_var}" "$mail_uid" "$mail_gid" "$dir/mail/$u" >> "$dir/dovecot-users"
done
chmod 0640 "$dir/dovecot-users"
chgrp dovecot "$dir/dovecot-users"
touch "$dir/dovecot.log"
cat > "$dir/dovecot.conf" <<EOF
# The demo's Dovecot (scripts/mail-servers.sh): loopback, plain text, two users.
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $dir/dovecot-run
state_dir = $dir/dovecot-state
log_path = $dir/dovecot.log
instance_name = sealpost-demo-$IMAP_PORT
$(if [ "$TLS" = 1 ]; then printf 'ssl = yes\nssl_cert = <%s\nssl_key = <%s\n' "$dir/tls/server.pem" "$dir/tls/server.key"; else echo 'ssl = no'; fi)
# Loopback only: Dovecot treats it as secure, so plain-text logins are allowed.
auth_mechanisms = plain login
first_valid_uid = $mail_uid
last_valid_uid = $mail_uid
mail_location = maildir:~/Maildir
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/dovecot-users
}
userdb {
  driver = passwd-file
  args = username_format=%u $dir/dovecot-users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $([ "$TLS" = 1 ] && echo "$IMAPS_PORT" || echo 0)
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
  unix_listener lmtp {
    mode = 0600
  }
}
service auth {
  inet_listener {
    address = 127.0.0.1
    port = $AUTH_PORT
  }
}
protocol lmtp {
  postmaster_address = postmaster@$MAIL_DOMAIN
}
EOF
dovecot -c "$dir/dovecot.conf" </dev/null >/dev/null 2>&1 || { say "dovecot did not start:"; tail -n 20 "$dir/dovecot.log" >&2; exit 1; }

# ------------------------------------------------------------------ Postfix
pf=$dir/postfix
mkdir -p "$pf" "$dir/postfix-queue" "$dir/postfix-data"
chown postfix "$dir/postfix-data"
: > "$pf/vmailbox"
: > "$pf/senders"
for u in alice bob; do
  printf '%s@%s OK\n' "$u" "$MAIL_DOMAIN" >> "$pf/vmailbox"
  printf '%s@%s %s@%s\n' "$u" "$MAIL_DOMAIN" "$u" "$MAIL_DOMAIN" >> "$pf/senders"
done
touch "$dir/postfix.log"
cat > "$pf/main.cf" <<EOF
# The demo's Postfix (scripts/mail-servers.sh): loopback, mail for $MAIL_DOMAIN only.
compatibility_level = 3.6
queue_directory = $dir/postfix-queue
data_directory = $dir/postfix-data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.$MAIL_DOMAIN
mydomain = $MAIL_DOMAIN
myorigin = $MAIL_DOMAIN
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = $MAIL_DOMAIN
virtual_mailbox_maps = texthash:$pf/vmailbox
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
# Nothing leaves this machine.
default_transport = error:the demo mail system delivers to $MAIL_DOMAIN only
relay_transport = error:the demo mail system delivers to $MAIL_DOMAIN only
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:$AUTH_PORT
smtpd_sasl_auth_enable = no
# A 30 MB attachment, base64 and armored, fits.
message_size_limit = 52428800
biff = no
smtputf8_enable = no
EOF
cat > "$pf/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$MX_PORT inet n - n - - smtpd
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_login_maps=texthash:$pf/senders
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
$(if [ "$TLS" = 1 ]; then printf '  -o smtpd_tls_security_level=encrypt\n  -o smtpd_tls_auth_only=yes\n  -o smtpd_tls_loglevel=1\n  -o smtpd_tls_cert_file=%s\n  -o smtpd_tls_key_file=%s\n' "$dir/tls/server.pem" "$dir/tls/server.key"; fi)
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
EOF
postfix -c "$pf" start </dev/null >/dev/null 2>&1 || { say "postfix did not start:"; tail -n 20 "$dir/postfix.log" >&2; exit 1; }

cat > "$dir/env" <<EOF
IMAP_PORT=$IMAP_PORT
SUBMISSION_PORT=$SUBMISSION_PORT
MX_PORT=$MX_PORT
LMTP_PORT=$LMTP_PORT
AUTH_PORT=$AUTH_PORT
IMAPS_PORT=$IMAPS_PORT
TLS=$TLS
MAIL_DOMAIN=$MAIL_DOMAIN
EOF

# Ready when every port answers.
ready=("$IMAP_PORT" "$SUBMISSION_PORT" "$MX_PORT")
[ "$TLS" = 1 ] && ready+=("$IMAPS_PORT")
for port in "${ready[@]}"; do
  ok=0
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then ok=1; break; fi
    sleep 0.05
  done
  [ "$ok" = 1 ] || { say "port $port does not answer"; tail -n 20 "$dir/dovecot.log" "$dir/postfix.log" >&2; exit 1; }
done
if [ "$TLS" = 1 ]; then
  echo "imap=imaps://127.0.0.1:$IMAPS_PORT smtp=smtp://127.0.0.1:$SUBMISSION_PORT?tls=required ca=$dir/tls/ca.pem mx=127.0.0.1:$MX_PORT users=alice@$MAIL_DOMAIN,bob@$MAIL_DOMAIN"
else
  echo "imap=imap://127.0.0.1:$IMAP_PORT smtp=smtp://127.0.0.1:$SUBMISSION_PORT mx=127.0.0.1:$MX_PORT users=alice@$MAIL_DOMAIN,bob@$MAIL_DOMAIN"
fi
