# cmake -DSOURCE=<dir> -DBINARY=<dir> [-DOPTIONS=<a|b|...>] -DEXPECT=success|failure
#       [-DMATCH=<regex>] [-DFORBID=<regex>] [-DFILES=<a|b>] [-DNO_FILES=<a|b>] -P configure.cmake
# Configures a project in a fresh binary directory and checks the outcome: the exit status, a regex
# the output must match, one it must not, and files (relative to BINARY) that must or must not exist.
string(REPLACE "|" ";" OPTIONS "${OPTIONS}")
file(REMOVE_RECURSE "${BINARY}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${BINARY}" ${OPTIONS}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(EXPECT STREQUAL "failure" AND result EQUAL 0)
  message(FATAL_ERROR "configuring succeeded; expected a failure")
elseif(EXPECT STREQUAL "success" AND NOT result EQUAL 0)
  message(FATAL_ERROR "configuring failed (${result}); expected success")
endif()
# CMake wraps a message at word boundaries, wherever its length puts them: MATCH and FORBID are
# read against the output with each run of white space as one space.
string(REGEX REPLACE "[ \t\r\n]+" " " out "${out}")
if(DEFINED MATCH AND NOT out MATCHES "${MATCH}")
  message(FATAL_ERROR "the output does not match: ${MATCH}")
endif()
if(DEFINED FORBID AND out MATCHES "${FORBID}")
  message(FATAL_ERROR "the output matches: ${FORBID}")
endif()
set(ROOT "${BINARY}")
include("${CMAKE_CURRENT_LIST_DIR}/check_files.cmake")  # FILES and NO_FILES, relative to ROOT
