# ctest helper: `cors_bench --benchmark_list_tests` must print exactly the expected names, in
# order (scripts compare them across versions). Usage:
#   cmake -DBENCH=<path to cors_bench> -DEXPECTED=<comma-separated names> -P check_names.cmake
execute_process(COMMAND ${BENCH} --benchmark_list_tests OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cors_bench --benchmark_list_tests failed: ${rc}")
endif()
string(REPLACE "," ";" EXPECTED "${EXPECTED}")
string(STRIP "${out}" out)
string(REPLACE "\n" ";" names "${out}")
if(NOT names STREQUAL EXPECTED)
  string(REPLACE ";" "\n  " want "${EXPECTED}")
  string(REPLACE ";" "\n  " got "${names}")
  message(FATAL_ERROR "benchmark names differ\nexpected:\n  ${want}\ngot:\n  ${got}")
endif()
