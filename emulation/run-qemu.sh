#!/bin/bash
# emulation/run-qemu.sh — boot the frontswap-nvm guest in QEMU with an emulated
# NVDIMM and a virtio swap disk, run one guest script, report its result.
#
# Usage: emulation/run-qemu.sh [options]        (see --help)
#   emulation/run-qemu.sh --run smoke           # runs /guest/smoke.sh in the guest
#   emulation/run-qemu.sh --shell               # interactive guest shell
# Exit status: the guest's rc from its "FSNVM-GUEST-EXIT rc=N" line; 124 if
# the timeout hit; 125 if the line never came (panic, oops, crash).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	cat <<EOF
Usage: $0 [options]
  --kernel PATH       bzImage (default: build/kernel/arch/x86/boot/bzImage)
  --initrd PATH       initramfs from emulation/mkinitramfs.sh
                      (default: build/emu/initramfs.cpio.gz)
  --nvdimm-img PATH   NVDIMM backing file (default: build/emu/nvdimm.img); created
                      sparse if missing. It persists: the namespace survives reboots.
  --nvdimm-size SIZE  its size incl. any label area (default: 1G); an existing
                      image of another size is an error
  --label-size SIZE   NVDIMM label area, e.g. 128K (default: none, label-less)
  --mem MiB           guest RAM (default: 512)
  --smp N             guest CPUs (default: 2)
  --swap-img PATH     raw image attached as virtio disk /dev/vda
                      (default: build/emu/swap.img); scratch, resized to --swap-size
  --swap-size SIZE    (default: 1G)
  --swap2-size SIZE   also attach a second scratch disk of SIZE as /dev/vdb
                      (beside --swap-img, "-2" before its suffix; default: none)
  --run NAME          run /guest/NAME.sh (kernel arg fsnvm.run=NAME; default: smoke)
  --append STR        extra kernel command line (e.g. "fsnvm.mib=700"); repeatable
  --timeout SEC       kill QEMU after SEC seconds (default: 600, --shell: 3600)
  --log FILE          console copy (default: build/emu/qemu-NAME.log)
  --accel auto|kvm|tcg  (default: auto = KVM if a probe boots it, else TCG)
  --shell             interactive: fsnvm.run=shell, console on this terminal
                      (Ctrl-A X quits QEMU)
Relative default paths are under the repo top ($top).
Exit status: guest rc from "FSNVM-GUEST-EXIT rc=N"; 124 timeout; 125 no such line.
EOF
}

die() { echo "run-qemu: $*" >&2; exit 2; }

kernel=$top/build/kernel/arch/x86/boot/bzImage
initrd=$top/build/emu/initramfs.cpio.gz
nvdimm_img=$top/build/emu/nvdimm.img
nvdimm_size=1G
label_size=
mem=512
smp=2
swap_img=$top/build/emu/swap.img
swap_size=1G
swap2_size=
run=smoke
append=
timeout=
log=
accel=auto
shell=0

while [ $# -gt 0 ]; do
	opt=$1
	case $opt in
	-h|--help) usage; exit 0 ;;
	--shell) shell=1; run=shell; shift; continue ;;
	--kernel|--initrd|--nvdimm-img|--nvdimm-size|--label-size|--mem|--smp|\
	--swap-img|--swap-size|--swap2-size|--run|--append|--timeout|--log|--accel)
		[ $# -ge 2 ] || die "$opt needs a value" ;;
	*) usage >&2; exit 2 ;;
	esac
	val=$2
	shift 2
	case $opt in
	--kernel) kernel=$val ;;
	--initrd) initrd=$val ;;
	--nvdimm-img) nvdimm_img=$val ;;
	--nvdimm-size) nvdimm_size=$val ;;
	--label-size) label_size=$val ;;
	--mem) mem=$val ;;
	--smp) smp=$val ;;
	--swap-img) swap_img=$val ;;
	--swap2-size) swap2_size=$val ;;
	--swap-size) swap_size=$val ;;
	--run) run=$val ;;
	--append) append=${append:+$append }$val ;;
	--timeout) timeout=$val ;;
	--log) log=$val ;;
	--accel) accel=$val ;;
	esac
done

[ -n "$timeout" ] || { [ $shell = 1 ] && timeout=3600 || timeout=600; }
[ -n "$log" ] || log=$top/build/emu/qemu-$run.log
bytes() { numfmt --from=iec "${1^^}" 2>/dev/null || die "bad size '$1' (use e.g. 1G, 128K)"; }
nvdimm_bytes=$(bytes "$nvdimm_size")
swap_bytes=$(bytes "$swap_size")
[[ $mem =~ ^[0-9]+$ && $smp =~ ^[0-9]+$ && $timeout =~ ^[0-9]+$ ]] ||
	die "--mem, --smp and --timeout take plain numbers"
[ -f "$kernel" ] || die "no kernel at $kernel (build it, or pass --kernel)"
[ -f "$initrd" ] || die "no initramfs at $initrd (run emulation/mkinitramfs.sh $initrd)"

mkdir -p "$(dirname "$nvdimm_img")" "$(dirname "$swap_img")" "$(dirname "$log")"
if [ -e "$nvdimm_img" ]; then
	have=$(stat -c %s "$nvdimm_img")
	[ "$have" = "$nvdimm_bytes" ] ||
		die "$nvdimm_img is $have bytes but --nvdimm-size is $nvdimm_size ($nvdimm_bytes bytes);" \
			"pass --nvdimm-size $have, or delete the image to start over"
else
	truncate -s "$nvdimm_bytes" "$nvdimm_img"
fi
truncate -s "$swap_bytes" "$swap_img"   # scratch: mkswap'd by the guest each boot
disk2=()
if [ -n "$swap2_size" ]; then
	swap2_img=${swap_img%.*}-2.${swap_img##*.}
	truncate -s 0 "$swap2_img"
	truncate -s "$(bytes "$swap2_size")" "$swap2_img"
	disk2=(-drive "file=$swap2_img,format=raw,if=virtio,cache=unsafe")
fi

# Accelerator: KVM only if /dev/kvm is usable AND a vCPU really runs: boot the
# kernel without an initramfs, it must print its banner and panic (no root fs)
# within 20 s. Nested KVM here opens /dev/kvm fine, then QEMU aborts on
# "failed to set MSR 0x10a" at the first vCPU setup.
if [ "$accel" = auto ]; then
	accel=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
		timeout 20 qemu-system-x86_64 -accel kvm -cpu host -machine pc -m 128 \
			-nodefaults -display none -serial stdio -no-reboot -kernel "$kernel" \
			-append "console=ttyS0 panic=-1" </dev/null 2>&1 | grep 'Linux version' >/dev/null; then
		accel=kvm
	fi
fi
case $accel in
kvm) accel_args=(-accel kvm -cpu host) ;;
tcg) accel_args=(-accel tcg -cpu max) ;;
*) die "--accel must be auto, kvm or tcg" ;;
esac

# The NVDIMM sits in hotpluggable memory: maxmem must cover RAM + NVDIMM.
maxmem=$(( mem + (nvdimm_bytes + (1 << 20) - 1) / (1 << 20) + 1024 ))
nvdimm_dev=nvdimm,id=nvdimm1,memdev=mem1${label_size:+,label-size=$(bytes "$label_size")}
cmdline="console=ttyS0 panic=-1 oops=panic fsnvm.run=$run${append:+ $append}"

qemu=(qemu-system-x86_64 "${accel_args[@]}" -smp "$smp"
	-machine "pc,nvdimm=on" -m "${mem}M,slots=2,maxmem=${maxmem}M"
	-object "memory-backend-file,id=mem1,share=on,mem-path=$nvdimm_img,size=$nvdimm_bytes"
	-device "$nvdimm_dev"
	-drive "file=$swap_img,format=raw,if=virtio,cache=unsafe" "${disk2[@]}"
	-nographic -no-reboot -nic none
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline")

echo "run-qemu: accel=$accel mem=${mem}M smp=$smp nvdimm=$nvdimm_img ($nvdimm_size${label_size:+, label $label_size}) swap=$swap_img ($swap_size) run=$run timeout=${timeout}s"
start=$(date +%s)
set +e
if [ $shell = 1 ]; then
	# --foreground: QEMU must own the terminal to read the console input.
	timeout --foreground -k 10 "$timeout" "${qemu[@]}" | tee "$log"
else
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$log"
fi
qrc=${PIPESTATUS[0]}
set -e
secs=$(( $(date +%s) - start ))

line=$(tr -d '\r' <"$log" | grep -a '^FSNVM-GUEST-EXIT rc=[0-9]*$' | tail -n 1 || true)
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	rc=124; what="TIMEOUT after ${timeout}s"
elif [ -n "$line" ]; then
	rc=${line#FSNVM-GUEST-EXIT rc=}; what="guest rc=$rc"
else
	rc=125; what="no FSNVM-GUEST-EXIT line (guest crashed or panicked; qemu rc=$qrc)"
fi
echo "run-qemu: $what, ${secs}s, log: $log"
exit "$rc"
