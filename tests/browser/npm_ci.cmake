# ctest fixture: runs `npm ci` (browser downloads skipped) when node_modules is missing.
if(NOT NODE OR NOT NPM)
  message(FATAL_ERROR "cors: the browser tests need Node.js >= 20 and npm (apt-get install nodejs npm)")
endif()
if(EXISTS "${DIR}/node_modules/playwright-core/package.json" AND
   EXISTS "${DIR}/node_modules/puppeteer-core/package.json")
  message(STATUS "node_modules present")
  return()
endif()
set(ENV{PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} 1)
set(ENV{PUPPETEER_SKIP_DOWNLOAD} 1)
execute_process(COMMAND ${NPM} ci --no-audit --no-fund WORKING_DIRECTORY "${DIR}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cors: `npm ci` failed in ${DIR} (${rc}); run it by hand with "
                      "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1")
endif()
