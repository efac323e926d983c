# Shared core (pmem-layout/) in userspace: sourced by tests/run.sh.
U=build/user
run build-core-tests make -s test-bins
run core-crc32c $U/crc32c_test
run core-media $U/media_test
run core-wear-pool $U/wear_pool_test 300000
run core-media-errors $U/media_error_test
run core-load-race $U/load_race_test
run core-load-miss $U/load_miss_test
run core-pending-order $U/pending_order_test
run core-filled-store $U/filled_store_test
run core-writer-gone $U/writer_gone_test
run core-vouch-close $U/vouch_close_test
run core-hostile-media $U/hostile_media_test
run core-area-race $U/area_race_test
run core-lock-asserts $U/lock_assert_test
run core-keep $U/keep_test
run core-reserve $U/reserve_test
run core-poison $U/poison_test
run core-poison-tsan $U/poison_test_tsan
run core-model-1M $U/engine_model_test 1000000 42
run core-model-seed2 $U/engine_model_test 200000 7
run core-threads-tsan $U/engine_threads_test 200000
run core-crash-10k $U/crash_test 10000 1
run core-format-crash $U/format_crash_test
