#!/usr/bin/env bash
# Checks deploy/nginx/patientqa.conf with `nginx -t`, using a throwaway certificate and writable
# paths. Exits 77 (skipped) when nginx is not installed (Debian: apt-get install nginx-light).
set -euo pipefail
conf=${1:?usage: nginx_config_test.sh deploy/nginx/patientqa.conf}
nginx=$(command -v nginx || true)
[ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx
if [ -z "$nginx" ]; then
  echo "nginx is not installed: skipping the check of $conf" >&2
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=qa.hospital.example \
  -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" 2>/dev/null
sed -e "s#/etc/ssl/patientqa/#$tmp/#g" -e "s#/var/log/nginx/#$tmp/#g" "$conf" > "$tmp/patientqa.conf"
cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
  access_log $tmp/access.log;
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  include $tmp/patientqa.conf;
}
CONF
"$nginx" -t -q -p "$tmp" -c "$tmp/nginx.conf"
echo "nginx -t: $conf is valid"
