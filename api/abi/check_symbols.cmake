# Compares the dynamic symbols libtks defines with the checked-in list.
# Usage: cmake -DNM=nm -DLIBRARY=libtks.so -DEXPECTED=libtks.symbols
#              -P check_symbols.cmake
# A change to the list is a deliberate commit: copy the "actual" list
# printed below into api/abi/libtks.symbols when the ABI changes on purpose.

# Step 1: the defined dynamic symbols, names only, without versions.
execute_process(
  COMMAND ${NM} -D --defined-only ${LIBRARY}
  OUTPUT_VARIABLE nm_output
  RESULT_VARIABLE nm_result)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIBRARY}")
endif()
string(REPLACE "\n" ";" nm_lines "${nm_output}")
set(actual "")
foreach(line IN LISTS nm_lines)
  if(line MATCHES "^[0-9a-fA-F]* *[A-Za-z] ([^@ ]+)")
    list(APPEND actual "${CMAKE_MATCH_1}")
  endif()
endforeach()
list(SORT actual)
list(REMOVE_DUPLICATES actual)

# Step 2: the expected list, skipping comments and blank lines.
file(STRINGS ${EXPECTED} expected_lines)
set(expected "")
foreach(line IN LISTS expected_lines)
  if(NOT line MATCHES "^#" AND NOT line STREQUAL "")
    list(APPEND expected "${line}")
  endif()
endforeach()
list(SORT expected)

# Step 3: they must be equal.
if(NOT actual STREQUAL expected)
  set(missing ${expected})
  list(REMOVE_ITEM missing ${actual})
  set(extra ${actual})
  list(REMOVE_ITEM extra ${expected})
  string(REPLACE ";" "\n  " missing_text "${missing}")
  string(REPLACE ";" "\n  " extra_text "${extra}")
  string(REPLACE ";" "\n" actual_text "${actual}")
  message(FATAL_ERROR
    "exported symbols differ from ${EXPECTED}\n"
    "missing:\n  ${missing_text}\nunexpected:\n  ${extra_text}\n"
    "actual list:\n${actual_text}")
endif()
message(STATUS "${LIBRARY}: exports match ${EXPECTED}")
