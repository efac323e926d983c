# fsnvmctl (tools/fsnvmctl/): sourced by tests/run.sh.  The scripts are in
# tests/tool/ and run the ASan build; the fuzz smoke run is tests/fuzz/.
run build-tool make -s tool-test-bins
run tool-golden tests/tool/golden.sh
run tool-corrupt tests/tool/corrupt.sh
run tool-hostile tests/tool/hostile.sh
run tool-superblock tests/tool/superblock.sh
run tool-bad-input tests/tool/bad_input.sh
run tool-format tests/tool/format.sh
run tool-stats tests/tool/stats.sh
run tool-list tests/tool/list.sh
run tool-svg tests/tool/svg.sh
run tool-blockdev tests/tool/blockdev.sh
run tool-man tests/tool/man.sh
run tool-fuzz-3x20s tests/fuzz/run.sh 20
