# Test fixtures: small native programs the link tests run (tests/fixtures/).
add_executable(modem_fixture ${PROJECT_SOURCE_DIR}/tests/fixtures/modem_fixture.c)
