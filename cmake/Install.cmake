# Install rules, CMake package config, pkg-config files and the Debian packages (CPack).
#
# Two components, each its own .deb:
#   library -> temporal-cpp          libtemporal.a, libtemporal_api.a, headers, CMake config
#                                    (find_package(temporal-cpp), target temporal::temporal),
#                                    pkg-config temporal-cpp
#   testing -> temporal-cpp-testing  libtemporal_testing.a (+ its generated test-service code),
#                                    temporal/testing/*.h, find_package(temporal-cpp COMPONENTS
#                                    testing) -> temporal::testing, pkg-config temporal-cpp-testing
# `cmake --build build --target package` writes both into the build directory. Nothing installed
# names a path of the build machine: CMake files locate themselves, .pc files use ${pcfiledir},
# and stripping (cpack, `cmake --install --strip`) also drops the static libraries' debug info.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/temporal-cpp")

install(DIRECTORY include/temporal DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT library
        FILES_MATCHING PATTERN "*.h" PATTERN "testing" EXCLUDE)
install(FILES "${CMAKE_BINARY_DIR}/include/temporal/version.h" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/temporal
        COMPONENT library)
install(TARGETS temporal temporal_api EXPORT temporal-cpp-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library)
install(EXPORT temporal-cpp-targets NAMESPACE temporal:: DESTINATION ${_cmake_dir} COMPONENT library)

install(DIRECTORY include/temporal/testing DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/temporal COMPONENT testing
        FILES_MATCHING PATTERN "*.h")
install(TARGETS temporal_testing temporal_testservice_api EXPORT temporal-cpp-testing-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT testing
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT testing)
install(EXPORT temporal-cpp-testing-targets NAMESPACE temporal:: DESTINATION ${_cmake_dir} COMPONENT testing)

configure_package_config_file(cmake/temporal-cpp-config.cmake.in "${CMAKE_BINARY_DIR}/temporal-cpp-config.cmake"
                              INSTALL_DESTINATION ${_cmake_dir})
write_basic_package_version_file("${CMAKE_BINARY_DIR}/temporal-cpp-config-version.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_BINARY_DIR}/temporal-cpp-config.cmake" "${CMAKE_BINARY_DIR}/temporal-cpp-config-version.cmake"
        DESTINATION ${_cmake_dir} COMPONENT library)

# pkg-config: the prefix is found from the .pc file's own location.
file(RELATIVE_PATH _pc_to_prefix "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" _pc_to_prefix "${_pc_to_prefix}")
set(TEMPORAL_PC_PREFIX "\${pcfiledir}/${_pc_to_prefix}")
configure_file(cmake/temporal-cpp.pc.in "${CMAKE_BINARY_DIR}/temporal-cpp.pc" @ONLY)
configure_file(cmake/temporal-cpp-testing.pc.in "${CMAKE_BINARY_DIR}/temporal-cpp-testing.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/temporal-cpp.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT library)
install(FILES "${CMAKE_BINARY_DIR}/temporal-cpp-testing.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT testing)

# Debian practice for static libraries in -dev packages: strip debug info (it names build paths),
# keep the symbols. Runs on `cmake --install --strip` and in cpack (CPACK_STRIP_FILES).
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    file(GLOB _temporal_archives \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/libtemporal*.a\")
    foreach(_a IN LISTS _temporal_archives)
      execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug \"\${_a}\" RESULT_VARIABLE _rc)
      if(NOT _rc EQUAL 0)
        message(FATAL_ERROR \"strip --strip-debug \${_a} failed\")
      endif()
    endforeach()
  endif()" COMPONENT library)
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    file(GLOB _temporal_archives \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/libtemporal_test*.a\")
    foreach(_a IN LISTS _temporal_archives)
      execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug \"\${_a}\" RESULT_VARIABLE _rc)
      if(NOT _rc EQUAL 0)
        message(FATAL_ERROR \"strip --strip-debug \${_a} failed\")
      endif()
    endforeach()
  endif()" COMPONENT testing)

# Debian packages: `cmake --build build --target package` (or `cd build && cpack -G DEB`).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME temporal-cpp)
set(CPACK_PACKAGE_VENDOR "temporal-cpp")
set(CPACK_PACKAGE_CONTACT "temporal-cpp maintainers <temporal-cpp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Native C++20 SDK for Temporal")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL library testing)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME temporal-cpp)
set(CPACK_DEBIAN_TESTING_PACKAGE_NAME temporal-cpp-testing)
# What a user's build needs besides the package: the find_dependency() calls of the CMake config
# and the Requires of the .pc file.
set(CPACK_DEBIAN_LIBRARY_PACKAGE_DEPENDS
    "libgrpc++-dev, libprotobuf-dev, nlohmann-json3-dev, libssl-dev")
set(CPACK_DEBIAN_TESTING_PACKAGE_DEPENDS "temporal-cpp (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_LIBRARY_DESCRIPTION
    "Native C++20 SDK for Temporal: client and worker\n Static libraries, headers, CMake package config\n (find_package(temporal-cpp)) and pkg-config file (temporal-cpp).")
set(CPACK_DEBIAN_TESTING_DESCRIPTION
    "Testing library of the native C++20 SDK for Temporal\n DevServer (temporal server start-dev), the time-skipping test environment\n (Temporal's test server) and the activity environment: temporal::testing.")
set(CPACK_COMPONENT_LIBRARY_DESCRIPTION "${CPACK_DEBIAN_LIBRARY_DESCRIPTION}")
set(CPACK_COMPONENT_TESTING_DESCRIPTION "${CPACK_DEBIAN_TESTING_DESCRIPTION}")
include(CPack)
