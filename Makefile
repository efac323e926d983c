# frontswap-nvm top-level Makefile.
#   make demo    the whole journey in QEMU (see README)
#   make check   every test, fast ones first; ends with "N passed, M failed"
#   make kernel  graft + build the Linux 6.1 guest kernel (cached)
#   make tools   fsnvmctl
#   make bench-core   engine benchmark -> tests/bench/results-core.json
# Everything generated goes under build/ (git-ignored).

TOP     := $(CURDIR)
BUILD   := $(TOP)/build
U       := $(BUILD)/user
CC      ?= gcc

CORE_SRC := $(sort $(wildcard pmem-layout/*.c)) tools/shim/crc32c.c tools/shim/writer_id.c \
            tools/shim/race_point.c
CORE_HDR := $(wildcard pmem-layout/*.h tools/shim/*.h)
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror
INC      := -Itools/shim -Ipmem-layout -Itests
SAN      := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
PMEM     := tools/shim/persist_libpmem.c -lpmem -lpthread

TOOL_SRC := $(sort $(wildcard tools/fsnvmctl/*.c))
TOOL_HDR := $(wildcard tools/fsnvmctl/*.h)
TOOL_LIBS := -lpmem -ljson-c -lndctl -ldaxctl -lblkid -lm -lpthread

.PHONY: all deps tools test-bins bench-core kernel initramfs check demo clean

all: tools test-bins

deps:
	@scripts/install-deps.sh

$(U):
	@mkdir -p $@

# --- userspace tests of the shared core --------------------------------
# Tests on the libpmem shim.
PMEM_TESTS := engine_model_test wear_pool_test media_test
$(PMEM_TESTS:%=$(U)/%): $(U)/%: tests/%.c $(CORE_SRC) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) $(SAN) $(INC) $(CORE_SRC) $< $(PMEM) -o $@
# Tests on plain memory link tests/persist_memcpy.c (weak: they override).
PLAIN := tests/persist_memcpy.c
PLAIN_TESTS := media_error_test load_race_test load_miss_test writer_gone_test \
	       pending_order_test vouch_close_test area_race_test
$(PLAIN_TESTS:%=$(U)/%): $(U)/%: tests/%.c $(PLAIN) $(CORE_SRC) $(CORE_HDR) tests/test_util.h \
			tests/writer_threads.h | $(U)
	$(CC) $(WARN) $(SAN) $(INC) $(CORE_SRC) $(PLAIN) $< -lpthread -o $@
$(U)/engine_threads_test: tests/engine_threads_test.c tests/persist_tsan.c $(PLAIN) $(CORE_SRC) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) -O1 -g -fsanitize=thread $(INC) $(CORE_SRC) tests/persist_tsan.c $(PLAIN) $< -lpthread -o $@
$(U)/crash_test: tests/crash_test.c tests/crash_shim.c tests/crash_shim.h tests/writer_threads.h \
		  $(CORE_SRC) $(CORE_HDR) | $(U)
	$(CC) $(WARN) -O2 -g -fsanitize=undefined -fno-sanitize-recover=all $(INC) $(CORE_SRC) tests/crash_shim.c $< -lpthread -o $@
$(U)/bench_core: tests/bench/bench_core.c $(CORE_SRC) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) -O2 -g -march=native $(INC) $(CORE_SRC) $< $(PMEM) -lm -o $@

# --- fsnvmctl ------------------------------------------------------------
$(U)/fsnvmctl: $(TOOL_SRC) $(TOOL_HDR) $(CORE_SRC) $(CORE_HDR) | $(U)
	$(CC) $(WARN) -O2 -g $(INC) -Itools/fsnvmctl $(CORE_SRC) $(TOOL_SRC) $(PMEM) $(TOOL_LIBS) -o $@
$(U)/fsnvmctl-asan: $(TOOL_SRC) $(TOOL_HDR) $(CORE_SRC) $(CORE_HDR) | $(U)
	$(CC) $(WARN) $(SAN) $(INC) -Itools/fsnvmctl $(CORE_SRC) $(TOOL_SRC) $(PMEM) $(TOOL_LIBS) -o $@

tools: $(U)/fsnvmctl

# Test helpers of the tool: fill_image fills an image through the engine;
# fuzz_media is the libFuzzer target over the media parser (clang only).
$(U)/fill_image: tests/tool/fill_image.c $(CORE_SRC) $(CORE_HDR) tests/test_util.h | $(U)
	$(CC) $(WARN) $(SAN) $(INC) $(CORE_SRC) $< $(PMEM) -o $@
FUZZ_SRC := tests/fuzz/fuzz_media.c tools/fsnvmctl/verify.c tests/persist_memcpy.c
$(U)/fuzz_media: $(FUZZ_SRC) tools/fsnvmctl/verify.h $(CORE_SRC) $(CORE_HDR) | $(U)
	clang $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(INC) -Itools/fsnvmctl $(CORE_SRC) \
		$(FUZZ_SRC) -lpthread -o $@

.PHONY: tool-test-bins fuzz
tool-test-bins: $(U)/fsnvmctl $(U)/fsnvmctl-asan $(U)/fill_image $(U)/fuzz_media

# A longer fuzz run than make check's 20 s: make fuzz FUZZ_TIME=3600
FUZZ_TIME ?= 600
fuzz: $(U)/fuzz_media $(U)/fill_image $(U)/fsnvmctl
	tests/fuzz/run.sh $(FUZZ_TIME)

TEST_BINS := $(PMEM_TESTS:%=$(U)/%) $(PLAIN_TESTS:%=$(U)/%) $(U)/engine_threads_test $(U)/crash_test
test-bins: $(TEST_BINS)

bench-core: deps $(U)/bench_core
	$(U)/bench_core --json tests/bench/results-core.json

# --- kernel and guest ------------------------------------------------------
kernel: deps
	@scripts/build-kernel.sh

initramfs: deps tools
	@scripts/build-guest.sh

# --- the two commands of the README -----------------------------------------
check: deps
	@tests/run.sh

demo: deps
	@scripts/demo.sh

clean:
	rm -rf $(U) $(BUILD)/emu
