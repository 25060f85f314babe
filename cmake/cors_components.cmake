# Optional components: one adapter target per framework, cors::<name> = cors::cors + the framework.
# The core target cors::cors never depends on any framework. Nothing here is downloaded.
#
# This file is used both by the in-tree build (CMakeLists.txt, for the components listed in
# CORS_COMPONENTS) and by the package config (cors-config.cmake, for the components given to
# find_package(cors COMPONENTS ...)). Nothing is probed until a component is asked for.
#
# A component is one entry of the table below:
#   cors_declare_component(<name> DEBIAN <package>
#     [FIND <find_package arguments...> LINK <target>] [PKG_CONFIG <module>] [THREADS]
#     [FIND_FIRST <find_package arguments...>])
# FIND is tried first (its package must provide the LINK target); if that fails and PKG_CONFIG is
# given, the pkg-config module is used instead. THREADS also links Threads::Threads. FIND_FIRST
# names a package the FIND package's targets link to without finding it themselves (RESTinio's
# config links fmt::fmt): it is found before FIND, and the component is absent without it.

include_guard(GLOBAL)
# The functions keep these policies (IN_LIST, ...) whatever the including project's minimum version.
cmake_policy(PUSH)
cmake_policy(VERSION 3.16...3.25)
include(CMakeFindDependencyMacro)

function(cors_declare_component name)
  cmake_parse_arguments(arg "THREADS" "DEBIAN;PKG_CONFIG;LINK" "FIND;FIND_FIRST" ${ARGN})
  get_property(known GLOBAL PROPERTY CORS_KNOWN_COMPONENTS)
  if(name IN_LIST known)
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY CORS_KNOWN_COMPONENTS ${name})
  foreach(field DEBIAN PKG_CONFIG LINK FIND FIND_FIRST THREADS)
    set_property(GLOBAL PROPERTY CORS_COMPONENT_${name}_${field} "${arg_${field}}")
  endforeach()
endfunction()

# ---- The table: one line per component. ----
cors_declare_component(beast   DEBIAN libboost-dev       FIND Boost 1.70     LINK Boost::boost THREADS)
cors_declare_component(httplib DEBIAN libcpp-httplib-dev FIND httplib CONFIG LINK httplib::httplib
                               PKG_CONFIG cpp-httplib THREADS)
cors_declare_component(fmt     DEBIAN libfmt-dev         FIND fmt 9          LINK fmt::fmt)
cors_declare_component(pistache DEBIAN libpistache-dev   PKG_CONFIG libpistache THREADS)
# RESTinio's config (Debian: header-only; links fmt::fmt and -lhttp_parser, needs Asio's headers)
# accepts only its exact version, so none is asked for.
cors_declare_component(restinio DEBIAN "librestinio-dev libasio-dev libhttp-parser-dev"
                                FIND restinio CONFIG LINK restinio::restinio FIND_FIRST fmt THREADS)
cors_declare_component(poco    DEBIAN libpoco-dev        FIND Poco 1.11 CONFIG COMPONENTS Net Foundation LINK Poco::Net)
cors_declare_component(json    DEBIAN nlohmann-json3-dev FIND nlohmann_json 3 LINK nlohmann_json::nlohmann_json)
# Later, for instance:
# cors_declare_component(psl   DEBIAN libpsl-dev         PKG_CONFIG libpsl)

# find_dependency() in a function of its own: on failure its return() leaves only this function.
# cors_FIND_REQUIRED is cleared so that a missing framework never fails inside find_package():
# the caller reports it, naming the Debian package.
function(_cors_try_dependency out quiet)
  set(${out} FALSE PARENT_SCOPE)
  set(CMAKE_FIND_PACKAGE_NAME cors)
  set(cors_FIND_REQUIRED FALSE)
  set(cors_FIND_QUIETLY ${quiet})
  find_dependency(${ARGN})
  set(${out} TRUE PARENT_SCOPE)
endfunction()

# pkg_check_modules() needs FindPkgConfig's variables: in the same function as find_dependency().
function(_cors_try_pkg_config out quiet prefix module)
  set(${out} FALSE PARENT_SCOPE)
  set(CMAKE_FIND_PACKAGE_NAME cors)
  set(cors_FIND_REQUIRED FALSE)
  set(cors_FIND_QUIETLY ${quiet})
  find_dependency(PkgConfig)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${module})
  if(${prefix}_FOUND)
    set(${out} TRUE PARENT_SCOPE)
  endif()
endfunction()

# _cors_find_component(<name> <imported> <quiet> <found-var> <why-var>)
# Defines cors::<name> when its framework is found: an IMPORTED target for the package config
# (<imported> true), a normal INTERFACE target cors_<name> with an ALIAS in-tree. Sets <found-var>
# to TRUE or FALSE and, when not found, <why-var> to a message naming the Debian package.
function(_cors_find_component name imported quiet found_var why_var)
  set(${found_var} FALSE PARENT_SCOPE)
  if(quiet)
    set(quiet TRUE)
  else()
    set(quiet FALSE)
  endif()
  get_property(known GLOBAL PROPERTY CORS_KNOWN_COMPONENTS)
  if(NOT name IN_LIST known)
    string(REPLACE ";" ", " known "${known}")
    set(${why_var} "unknown cors component \"${name}\" (known components: ${known})" PARENT_SCOPE)
    return()
  endif()
  if(TARGET cors::${name})
    set(${found_var} TRUE PARENT_SCOPE)
    return()
  endif()
  foreach(field DEBIAN PKG_CONFIG LINK FIND FIND_FIRST THREADS)
    get_property(${field} GLOBAL PROPERTY CORS_COMPONENT_${name}_${field})
  endforeach()

  set(link "")
  set(needs "")
  if(FIND_FIRST)
    list(GET FIND_FIRST 0 package)
    _cors_try_dependency(ok ${quiet} ${FIND_FIRST})
    if(NOT ok)
      set(FIND "")
      set(PKG_CONFIG "")
      list(APPEND needs "${package}")
    endif()
  endif()
  if(FIND)
    list(GET FIND 0 package)
    list(APPEND needs "${package}")
    _cors_try_dependency(ok ${quiet} ${FIND})
    if(ok AND TARGET ${LINK})
      set(link ${LINK})
    endif()
  endif()
  if(NOT link AND PKG_CONFIG)
    list(APPEND needs "pkg-config module ${PKG_CONFIG}")
    _cors_try_pkg_config(ok ${quiet} CORS_PC_${name} ${PKG_CONFIG})
    if(ok)
      set(link PkgConfig::CORS_PC_${name})
    endif()
  endif()
  if(link AND THREADS)
    _cors_try_dependency(ok ${quiet} Threads)
    if(ok)
      list(APPEND link Threads::Threads)
    else()
      set(link "")
      list(APPEND needs Threads)
    endif()
  endif()
  if(NOT link)
    string(REPLACE ";" " or " needs "${needs}")
    set(${why_var} "cors component \"${name}\" needs ${needs}, which was not found. On Debian or Ubuntu, install the package ${DEBIAN} (apt install ${DEBIAN})" PARENT_SCOPE)
    return()
  endif()

  if(imported)
    add_library(cors::${name} INTERFACE IMPORTED)
    target_link_libraries(cors::${name} INTERFACE cors::cors ${link})
  else()
    add_library(cors_${name} INTERFACE)
    add_library(cors::${name} ALIAS cors_${name})
    target_link_libraries(cors_${name} INTERFACE cors ${link})
  endif()
  set(${found_var} TRUE PARENT_SCOPE)
endfunction()

cmake_policy(POP)
