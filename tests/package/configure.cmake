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
if(DEFINED MATCH AND NOT out MATCHES "${MATCH}")
  message(FATAL_ERROR "the output does not match: ${MATCH}")
endif()
if(DEFINED FORBID AND out MATCHES "${FORBID}")
  message(FATAL_ERROR "the output matches: ${FORBID}")
endif()
string(REPLACE "|" ";" FILES "${FILES}")
foreach(f IN LISTS FILES)
  if(NOT EXISTS "${BINARY}/${f}")
    message(FATAL_ERROR "missing: ${BINARY}/${f}")
  endif()
endforeach()
string(REPLACE "|" ";" NO_FILES "${NO_FILES}")
foreach(f IN LISTS NO_FILES)
  if(EXISTS "${BINARY}/${f}")
    message(FATAL_ERROR "should not exist: ${BINARY}/${f}")
  endif()
endforeach()
