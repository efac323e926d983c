# frontswap-nvm top-level Makefile.
#   make demo    the whole journey in QEMU (see README)
#   make check   every test, fast ones first; ends with "N passed, M failed"
#   make kernel  graft + build the Linux 6.1 guest kernel (cached)
#   make kernel-debug  the same with KASAN, UBSAN, lockdep, ... (build/kernel-debug)
#   make soak    the long soak on the debug kernel (figures in the README)
#   make tools   fsnvmctl
#   make bench-core   engine benchmark -> tests/bench/results-core.json
#   make bench-guest  frontswap-nvm vs swap on pmem, zswap and a disk in
#                     QEMU -> tests/bench/results-guest.{json,svg,md}
#   make bench-profile  perf in the guest on the random and seq runs
#                     -> tests/bench/profile-guest.txt
#   make module  the swap device module fsnvm_swap.ko against KDIR (default:
#                the running kernel's headers) -> build/module/KVER/
#   make demo-stock  the swap device on Debian's stock kernel (SERIES=6.12
#                or 6.1) in QEMU, with its wear report
# Everything generated goes under build/ (git-ignored).

TOP     := $(CURDIR)
BUILD   := $(TOP)/build
U       := $(BUILD)/user
CC      ?= gcc

CORE_SRC := $(sort $(wildcard pmem-layout/*.c)) tools/shim/crc32c.c tools/shim/writer_id.c \
            tools/shim/race_point.c tools/shim/lockdep.c tools/shim/kvmalloc.c
CORE_HDR := $(wildcard pmem-layout/*.h tools/shim/*.h) tools/shim/persist_libpmem.c
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror
INC      := -Itools/shim -Ipmem-layout -Itests
SAN      := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
PMEM     := tools/shim/persist_libpmem.c -lpmem -lpthread

TOOL_SRC := $(sort $(wildcard tools/fsnvmctl/*.c))
TOOL_HDR := $(wildcard tools/fsnvmctl/*.h)
TOOL_LIBS := -lpmem -ljson-c -lndctl -ldaxctl -lblkid -lm -lpthread

.PHONY: all deps tools test-bins bench-core bench-guest bench-profile kernel kernel-debug initramfs check demo clean soak \
	module demo-stock

all: tools test-bins

deps:
	@scripts/install-deps.sh

$(U):
	@mkdir -p $@

# --- the shared core, built once per flavour -----------------------------
# Every binary links the core from libfsnvm-FLAVOUR.a, compiled with the
# flags of its sanitizer or optimization level.  Test objects come before
# the archive, so a test's own fsnvm_race_point() (or persistence) wins over
# the weak defaults.
CORE_OBJ_NAMES := $(notdir $(CORE_SRC:.c=.o))
# Tests' flavours assert the lock where the core says it is held, and make
# a WARN_ON_ONCE fatal (tools/shim/fsnvm_platform.h).
DEBUG_CHECKS  := -DFSNVM_DEBUG_CHECKS
CORE_CC_san   := $(CC) $(WARN) $(SAN) $(DEBUG_CHECKS)
CORE_CC_tsan  := $(CC) $(WARN) -O1 -g -fsanitize=thread $(DEBUG_CHECKS)
CORE_CC_ubsan := $(CC) $(WARN) -O2 -g -fsanitize=undefined -fno-sanitize-recover=all $(DEBUG_CHECKS)
CORE_CC_bench := $(CC) $(WARN) -O2 -g -march=native -DFSNVM_LOCK_STATS
CORE_CC_opt   := $(CC) $(WARN) -O2 -g
CORE_CC_o1    := $(CC) $(WARN) -O1 -g $(DEBUG_CHECKS)
# The fuzz targets, libFuzzer's (clang only; tests/fuzz/README.md).
FUZZ_CC := clang $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
	   -fno-sanitize-recover=all $(INC) -Itools/fsnvmctl \
	   -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt $(FUZZ_FLAGS)
# The image targets walk every frame several times a run, where tracing
# every comparison would take most of the time; their mutator supplies
# the values that tracing would find.
FUZZ_NOCMP := -fno-sanitize-coverage=trace-cmp
CORE_CC_fuzz  := $(FUZZ_CC) $(DEBUG_CHECKS)
CORE_CC_fuzznocmp := $(FUZZ_CC) $(FUZZ_NOCMP) $(DEBUG_CHECKS)
CORE_FLAVOURS := san tsan ubsan bench opt o1 fuzz fuzznocmp
define core_flavour
$(U)/core-$(1)/%.o: pmem-layout/%.c $(CORE_HDR) tests/fuzz/coverage-ignore.txt
	@mkdir -p $$(@D)
	$$(CORE_CC_$(1)) $(INC) -c $$< -o $$@
$(U)/core-$(1)/%.o: tools/shim/%.c $(CORE_HDR) tests/fuzz/coverage-ignore.txt
	@mkdir -p $$(@D)
	$$(CORE_CC_$(1)) $(INC) -c $$< -o $$@
$(U)/libfsnvm-$(1).a: $(CORE_OBJ_NAMES:%=$(U)/core-$(1)/%)
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach f,$(CORE_FLAVOURS),$(eval $(call core_flavour,$(f))))
CORE_LIB = $(U)/libfsnvm-$(1).a

# --- userspace tests of the shared core --------------------------------
# Tests on the libpmem shim.
PMEM_TESTS := engine_model_test wear_pool_test media_test
$(PMEM_TESTS:%=$(U)/%): $(U)/%: tests/%.c $(call CORE_LIB,san) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) $(SAN) $(DEBUG_CHECKS) $(INC) $< $(call CORE_LIB,san) $(PMEM) -o $@
# Tests on plain memory link tests/persist_memcpy.c (weak: they override).
PLAIN := tests/persist_memcpy.c
PLAIN_TESTS := media_error_test load_race_test load_miss_test writer_gone_test \
	       pending_order_test vouch_close_test hostile_media_test area_race_test \
	       poison_test lock_assert_test keep_test reserve_test filled_store_test
$(PLAIN_TESTS:%=$(U)/%): $(U)/%: tests/%.c $(PLAIN) $(call CORE_LIB,san) $(CORE_HDR) tests/test_util.h \
			tests/writer_threads.h | $(U)
	$(CC) $(WARN) $(SAN) $(DEBUG_CHECKS) $(INC) $(PLAIN) $< $(call CORE_LIB,san) -lpthread -o $@
$(U)/engine_threads_test: tests/engine_threads_test.c tests/persist_tsan.c $(PLAIN) $(call CORE_LIB,tsan) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) -O1 -g -fsanitize=thread $(INC) tests/persist_tsan.c $(PLAIN) $< $(call CORE_LIB,tsan) -lpthread -o $@
# The poison test's threads, under ThreadSanitizer too.
$(U)/poison_test_tsan: tests/poison_test.c tests/persist_tsan.c $(PLAIN) $(call CORE_LIB,tsan) $(CORE_HDR) tests/test_util.h tests/writer_threads.h | $(U)
	$(CC) $(WARN) -O1 -g -fsanitize=thread $(INC) tests/persist_tsan.c $(PLAIN) $< $(call CORE_LIB,tsan) -lpthread -o $@
$(U)/crash_test: tests/crash_test.c tests/crash_shim.c tests/crash_shim.h tests/writer_threads.h \
		  $(call CORE_LIB,ubsan) $(CORE_HDR) | $(U)
	$(CC) $(WARN) -O2 -g -fsanitize=undefined -fno-sanitize-recover=all $(INC) tests/crash_shim.c $< $(call CORE_LIB,ubsan) -lpthread -o $@
# The format under crashes, through the tool's own wear reading.
$(U)/format_crash_test: tests/format_crash_test.c tests/crash_shim.c tests/crash_shim.h tools/fsnvmctl/oldwear.c tools/fsnvmctl/oldwear.h $(call CORE_LIB,san) $(CORE_HDR) | $(U)
	$(CC) $(WARN) $(SAN) $(INC) -Itools/fsnvmctl tests/crash_shim.c tools/fsnvmctl/oldwear.c $< $(call CORE_LIB,san) -lpthread -o $@
# The checksum's implementations against its table, optimized as shipped.
$(U)/crc32c_test: tests/crc32c_test.c $(call CORE_LIB,ubsan) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) -O2 -g -fsanitize=undefined -fno-sanitize-recover=all $(INC) tests/persist_memcpy.c $< $(call CORE_LIB,ubsan) -lpthread -o $@
$(U)/bench_core: tests/bench/bench_core.c tools/shim/lock_stats.c $(call CORE_LIB,bench) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) -O2 -g -march=native -DFSNVM_LOCK_STATS $(INC) tools/shim/lock_stats.c $< $(call CORE_LIB,bench) $(PMEM) -lm -o $@

# --- fsnvmctl ------------------------------------------------------------
$(U)/fsnvmctl: $(TOOL_SRC) $(TOOL_HDR) $(call CORE_LIB,opt) $(CORE_HDR) | $(U)
	$(CC) $(WARN) -O2 -g $(INC) -Itools/fsnvmctl $(TOOL_SRC) $(call CORE_LIB,opt) $(PMEM) $(TOOL_LIBS) -o $@
$(U)/fsnvmctl-asan: $(TOOL_SRC) $(TOOL_HDR) $(call CORE_LIB,san) $(CORE_HDR) | $(U)
	$(CC) $(WARN) $(SAN) $(INC) -Itools/fsnvmctl $(TOOL_SRC) $(call CORE_LIB,san) $(PMEM) $(TOOL_LIBS) -o $@

tools: $(U)/fsnvmctl

# Test helpers of the tool: fill_image fills an image through the engine.
$(U)/fill_image: tests/tool/fill_image.c $(call CORE_LIB,san) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) $(SAN) $(INC) $< $(call CORE_LIB,san) $(PMEM) -o $@
FUZZ_TARGETS := fuzz_super fuzz_recover fuzz_tool
FUZZ_BINS := $(FUZZ_TARGETS:%=$(U)/%)
FUZZ_DEP := tests/fuzz/fuzz_image.h tests/fuzz/coverage-ignore.txt tests/persist_memcpy.c \
	    $(CORE_HDR) tools/fsnvmctl/verify.c tools/fsnvmctl/verify.h
$(U)/fuzz_super: tests/fuzz/fuzz_super.c $(FUZZ_DEP) $(call CORE_LIB,fuzz) | $(U)
	$(FUZZ_CC) tools/fsnvmctl/verify.c tests/persist_memcpy.c $< $(call CORE_LIB,fuzz) -lpthread -o $@
$(U)/fuzz_recover: tests/fuzz/fuzz_recover.c $(FUZZ_DEP) $(call CORE_LIB,fuzznocmp) | $(U)
	$(FUZZ_CC) $(FUZZ_NOCMP) tools/fsnvmctl/verify.c tests/persist_memcpy.c $< $(call CORE_LIB,fuzznocmp) -lpthread -o $@
$(U)/fuzz_tool: tests/fuzz/fuzz_tool.c $(FUZZ_DEP) tools/fsnvmctl/wearstat.c \
		tools/fsnvmctl/wearstat.h tools/fsnvmctl/media.c tools/fsnvmctl/media.h $(call CORE_LIB,fuzznocmp) | $(U)
	$(FUZZ_CC) $(FUZZ_NOCMP) tools/fsnvmctl/verify.c tools/fsnvmctl/wearstat.c \
		tools/fsnvmctl/media.c tests/persist_memcpy.c $< $(call CORE_LIB,fuzznocmp) -lpthread -lm -o $@
# Seeds for them, made from real images by tests/fuzz/run.sh.
$(U)/fuzz_seed: tests/fuzz/fuzz_seed.c $(call CORE_LIB,o1) $(CORE_HDR) | $(U)
	$(CC) $(WARN) -O1 -g $(INC) tests/persist_memcpy.c $< $(call CORE_LIB,o1) -lpthread -o $@

.PHONY: tool-test-bins fuzz
tool-test-bins: $(U)/fsnvmctl $(U)/fsnvmctl-asan $(U)/fill_image $(FUZZ_BINS) $(U)/fuzz_seed

# Longer fuzz runs than make check's: FUZZ_TIME seconds per target.
FUZZ_TIME ?= 600
fuzz: $(FUZZ_BINS) $(U)/fuzz_seed $(U)/fill_image $(U)/fsnvmctl
	tests/fuzz/run.sh $(FUZZ_TIME)

TEST_BINS := $(PMEM_TESTS:%=$(U)/%) $(PLAIN_TESTS:%=$(U)/%) $(U)/engine_threads_test $(U)/crash_test \
	     $(U)/crc32c_test \
	     $(U)/poison_test_tsan \
	     $(U)/format_crash_test
test-bins: $(TEST_BINS)

bench-core: deps $(U)/bench_core
	$(U)/bench_core --json tests/bench/results-core.json

$(U)/guest_report: tests/bench/guest_report.c | $(U)
	$(CC) $(WARN) -O2 -g $< -o $@

bench-guest: kernel initramfs
	@tests/bench/guest.sh full

bench-profile: kernel initramfs
	@tests/bench/guest.sh profile

# --- kernel and guest ------------------------------------------------------
kernel: deps
	@scripts/build-kernel.sh

kernel-debug: deps
	@scripts/build-kernel.sh debug

soak: kernel-debug initramfs
	@tests/e2e/soak.sh long

initramfs: deps tools
	@scripts/build-guest.sh

# --- the swap device module ------------------------------------------------
KDIR   ?= /lib/modules/$(shell uname -r)/build
SERIES ?= 6.12
module:
	@kver=$$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h) && \
	scripts/module-src.sh $(BUILD)/module/$$kver && \
	$(MAKE) -C $(KDIR) M=$(BUILD)/module/$$kver modules && \
	echo "module: $(BUILD)/module/$$kver/fsnvm_swap.ko"

demo-stock: deps tools
	@tests/e2e/stock.sh $(SERIES) --show

# --- the two commands of the README -----------------------------------------
check: deps
	@tests/run.sh

demo: deps
	@scripts/demo.sh

clean:
	rm -rf $(U) $(BUILD)/emu
