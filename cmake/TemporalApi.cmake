# Temporal API: .proto files from a pinned @temporalio/core-bridge npm package, fetched with
# `npm pack` into a cache outside the source tree, compiled into the build tree as `temporal_api`.
set(TEMPORAL_CORE_BRIDGE_VERSION "1.24.0")
set(TEMPORAL_CORE_BRIDGE_SHA256 "5f58de2e98bdc4711be3cbb06cc08bc39cb274cbbac41d02f0352bfe1630a8f7")

if(DEFINED ENV{TEMPORAL_CPP_CACHE})
  set(_cache_root "$ENV{TEMPORAL_CPP_CACHE}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(_cache_root "$ENV{XDG_CACHE_HOME}/temporal-cpp")
else()
  set(_cache_root "$ENV{HOME}/.cache/temporal-cpp")
endif()
set(TEMPORAL_PROTO_CACHE "${_cache_root}/core-bridge-${TEMPORAL_CORE_BRIDGE_VERSION}" CACHE PATH
    "Where the Temporal API .proto files are unpacked")
set(_protos "${TEMPORAL_PROTO_CACHE}/package/sdk-core/crates/protos/protos")

# The test server's protos (testsrv_upstream) came later: a cache unpacked without them is completed.
# tar restores the archive's mtimes, so files unpacked again do not trigger regeneration.
set(_testsrv "${_protos}/testsrv_upstream")
if(NOT EXISTS "${TEMPORAL_PROTO_CACHE}/.complete" OR NOT EXISTS "${_testsrv}/temporal/api/testservice/v1/service.proto")
  find_program(NPM_EXECUTABLE npm REQUIRED)
  file(MAKE_DIRECTORY "${TEMPORAL_PROTO_CACHE}")
  message(STATUS "Fetching @temporalio/core-bridge@${TEMPORAL_CORE_BRIDGE_VERSION} for the Temporal API protos")
  execute_process(
    COMMAND "${NPM_EXECUTABLE}" pack "@temporalio/core-bridge@${TEMPORAL_CORE_BRIDGE_VERSION}"
            --pack-destination "${TEMPORAL_PROTO_CACHE}" --silent
    WORKING_DIRECTORY "${TEMPORAL_PROTO_CACHE}" RESULT_VARIABLE _rc)
  set(_tgz "${TEMPORAL_PROTO_CACHE}/temporalio-core-bridge-${TEMPORAL_CORE_BRIDGE_VERSION}.tgz")
  if(NOT _rc EQUAL 0 OR NOT EXISTS "${_tgz}")
    message(FATAL_ERROR "npm pack @temporalio/core-bridge@${TEMPORAL_CORE_BRIDGE_VERSION} failed (${_rc}); "
                        "check that npm can reach its registry")
  endif()
  file(SHA256 "${_tgz}" _sum)
  if(NOT _sum STREQUAL TEMPORAL_CORE_BRIDGE_SHA256)
    message(FATAL_ERROR "core-bridge package checksum mismatch: got ${_sum}, pinned ${TEMPORAL_CORE_BRIDGE_SHA256}")
  endif()
  execute_process(
    COMMAND tar xzf "${_tgz}" package/sdk-core/crates/protos/protos/api_upstream
            package/sdk-core/crates/protos/protos/grpc package/sdk-core/crates/protos/protos/google
            package/sdk-core/crates/protos/protos/testsrv_upstream
    WORKING_DIRECTORY "${TEMPORAL_PROTO_CACHE}" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "could not unpack ${_tgz}")
  endif()
  file(REMOVE "${_tgz}")
  file(TOUCH "${TEMPORAL_PROTO_CACHE}/.complete")
endif()

set(_api "${_protos}/api_upstream")
file(GLOB_RECURSE _temporal_protos RELATIVE "${_api}" "${_api}/temporal/api/*.proto")
# export/v1 is imported by nothing we use and its package name is a C++ keyword.
list(FILTER _temporal_protos EXCLUDE REGEX "^temporal/api/export/")
file(GLOB_RECURSE _extra_protos RELATIVE "${_api}" "${_api}/google/api/*.proto" "${_api}/nexusannotations/*.proto")
set(_api_inputs ${_temporal_protos} ${_extra_protos})
set(_other_inputs grpc/health/v1/health.proto google/rpc/status.proto)

set(_gen "${CMAKE_BINARY_DIR}/temporal_api_gen")
set(_outputs)
foreach(_p IN LISTS _api_inputs _other_inputs)
  string(REGEX REPLACE "\\.proto$" "" _stem "${_p}")
  list(APPEND _outputs "${_gen}/${_stem}.pb.h" "${_gen}/${_stem}.pb.cc")
  if(_p MATCHES "service\\.proto$" OR _p MATCHES "health\\.proto$")
    list(APPEND _outputs "${_gen}/${_stem}.grpc.pb.h" "${_gen}/${_stem}.grpc.pb.cc")
  endif()
endforeach()
set(_api_abs)
foreach(_p IN LISTS _api_inputs)
  list(APPEND _api_abs "${_api}/${_p}")
endforeach()
set(_service_protos)
foreach(_p IN LISTS _api_inputs _other_inputs)
  if(_p MATCHES "service\\.proto$" OR _p MATCHES "health\\.proto$")
    list(APPEND _service_protos "${_p}")
  endif()
endforeach()

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
# /usr/include comes first so google/protobuf/* resolve to the well-known types that libprotobuf ships.
add_custom_command(
  OUTPUT ${_outputs}
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${_gen}"
  COMMAND protobuf::protoc -I "${Protobuf_INCLUDE_DIR}" -I "${_api}" -I "${_protos}"
          "--cpp_out=${_gen}" ${_api_inputs} ${_other_inputs}
  COMMAND protobuf::protoc -I "${Protobuf_INCLUDE_DIR}" -I "${_api}" -I "${_protos}"
          "--grpc_out=${_gen}" "--plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN}" ${_service_protos}
  # protoc 3.21 emits `namespace namespace` for temporal.api.namespace.v1; newer protoc says namespace_.
  COMMAND "${CMAKE_COMMAND}" -DDIR=${_gen} -P "${CMAKE_CURRENT_LIST_DIR}/FixProtoKeywords.cmake"
  DEPENDS ${_api_abs} "${CMAKE_CURRENT_LIST_DIR}/FixProtoKeywords.cmake"
  COMMENT "Generating C++ for the Temporal API (${TEMPORAL_CORE_BRIDGE_VERSION})"
  VERBATIM)

set(_srcs ${_outputs})
list(FILTER _srcs INCLUDE REGEX "\\.cc$")
add_library(temporal_api STATIC ${_srcs})
target_include_directories(temporal_api SYSTEM PUBLIC
  "$<BUILD_INTERFACE:${_gen}>")
target_link_libraries(temporal_api PUBLIC protobuf::libprotobuf gRPC::grpc++)
target_compile_options(temporal_api PRIVATE -w)
set_target_properties(temporal_api PROPERTIES POSITION_INDEPENDENT_CODE ON)

# The test server's TestService (time skipping), for the temporal::testing library only.
set(_ts_inputs temporal/api/testservice/v1/request_response.proto temporal/api/testservice/v1/service.proto)
set(_ts_outputs)
set(_ts_abs)
foreach(_p IN LISTS _ts_inputs)
  string(REGEX REPLACE "\\.proto$" "" _stem "${_p}")
  list(APPEND _ts_outputs "${_gen}/${_stem}.pb.h" "${_gen}/${_stem}.pb.cc")
  list(APPEND _ts_abs "${_testsrv}/${_p}")
endforeach()
list(APPEND _ts_outputs "${_gen}/temporal/api/testservice/v1/service.grpc.pb.h"
                        "${_gen}/temporal/api/testservice/v1/service.grpc.pb.cc")
add_custom_command(
  OUTPUT ${_ts_outputs}
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${_gen}"
  COMMAND protobuf::protoc -I "${Protobuf_INCLUDE_DIR}" -I "${_testsrv}" "--cpp_out=${_gen}" ${_ts_inputs}
  COMMAND protobuf::protoc -I "${Protobuf_INCLUDE_DIR}" -I "${_testsrv}" "--grpc_out=${_gen}"
          "--plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN}" temporal/api/testservice/v1/service.proto
  DEPENDS ${_ts_abs}
  COMMENT "Generating C++ for the Temporal test server's TestService"
  VERBATIM)
set(_ts_srcs ${_ts_outputs})
list(FILTER _ts_srcs INCLUDE REGEX "\\.cc$")
add_library(temporal_testservice_api STATIC ${_ts_srcs})
target_include_directories(temporal_testservice_api SYSTEM PUBLIC "$<BUILD_INTERFACE:${_gen}>")
target_link_libraries(temporal_testservice_api PUBLIC protobuf::libprotobuf gRPC::grpc++)
target_compile_options(temporal_testservice_api PRIVATE -w)
set_target_properties(temporal_testservice_api PROPERTIES POSITION_INDEPENDENT_CODE ON)
