#!/bin/sh
# Run or double-click (Linux: "Run in terminal") to open the handout page in your
# browser. Keep the Terminal window it opens; close it to stop the page.
# Put your practice file next to this script as practice.toml to use it.
cd "$(dirname "$0")" || exit 1
PATH="$HOME/.cargo/bin:$PATH"
if ! command -v handout >/dev/null 2>&1; then
  echo "handout is not installed: see \"Installing it\" in the README (cargo install --locked --path .)."
  read -r _
  exit 1
fi
if [ -f practice.toml ]; then
  exec handout serve --practice practice.toml
fi
exec handout serve
