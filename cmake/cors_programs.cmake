# What the programs built from this tree (examples/, tools/) need, said once: fmt and the json
# component (they read --config files), and libpsl when the psl component was found.

# cors_program_prerequisites(<what> <out-var>): <out-var> is TRUE when fmt and cors::json are
# there; otherwise FALSE, after one status line naming what is missing and what is skipped.
function(cors_program_prerequisites what out_var)
  set(${out_var} FALSE PARENT_SCOPE)
  find_package(fmt QUIET)
  if(NOT fmt_FOUND)
    message(STATUS "cors: fmt not found; skipping ${what}")
  elseif(NOT TARGET cors::json)
    message(STATUS "cors: nlohmann/json (cors::json) not found; skipping ${what}")
  else()
    set(${out_var} TRUE PARENT_SCOPE)
  endif()
endfunction()

# cors_program_use_psl(<target>): with libpsl (component psl) the program refuses wildcards under
# public suffixes (https://*.co.uk) and names the list in --version.
function(cors_program_use_psl target)
  if(TARGET cors::psl)
    target_link_libraries(${target} PRIVATE cors::psl)
    target_compile_definitions(${target} PRIVATE CORS_EXAMPLE_HAVE_PSL)
  endif()
endfunction()
