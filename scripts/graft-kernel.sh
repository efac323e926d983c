#!/usr/bin/env bash
# Graft frontswap-nvm into a Linux 6.1 source tree, idempotently:
#   mm/frontswap_nvm         -> kernel-backend/   (symlink)
#   mm/frontswap_nvm_layout  -> pmem-layout/      (symlink, the shared core)
#   mm/Kconfig.frontswap-nvm -> Kconfig.frontswap-nvm
# plus one `source` line in mm/Kconfig and one obj- line in mm/Makefile.
# Symlinks, not copies: the kernel builds exactly the files in this repo.
# usage: graft-kernel.sh KERNEL_SRC_DIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=${1:?usage: graft-kernel.sh KERNEL_SRC_DIR}
[ -f "$ksrc/mm/frontswap.c" ] || { echo "graft: $ksrc is not a kernel tree with frontswap" >&2; exit 1; }

ln -sfn "$top/kernel-backend" "$ksrc/mm/frontswap_nvm"
ln -sfn "$top/pmem-layout" "$ksrc/mm/frontswap_nvm_layout"
ln -sfn "$top/Kconfig.frontswap-nvm" "$ksrc/mm/Kconfig.frontswap-nvm"

if ! grep -q 'Kconfig.frontswap-nvm' "$ksrc/mm/Kconfig"; then
	# Inside the "Memory Management options" menu: before its last endmenu.
	last=$(grep -n '^endmenu' "$ksrc/mm/Kconfig" | tail -n 1 | cut -d: -f1)
	sed -i "${last}i source \"mm/Kconfig.frontswap-nvm\"\n" "$ksrc/mm/Kconfig"
fi
if ! grep -q 'frontswap_nvm' "$ksrc/mm/Makefile"; then
	printf '\nobj-$(CONFIG_FRONTSWAP_NVM)\t+= frontswap_nvm/ frontswap_nvm_layout/\n' >>"$ksrc/mm/Makefile"
fi
