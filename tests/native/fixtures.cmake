# Test fixtures: small native programs the link tests run (tests/fixtures/).
add_executable(modem_fixture ${PROJECT_SOURCE_DIR}/tests/fixtures/modem_fixture.c)
# The hostile line (tests/fixtures/line_fixture.c): a noisy serial line between a dialer
# and its peer, for the robustness tests and bench/'s loss measurement.
add_executable(line_fixture ${PROJECT_SOURCE_DIR}/tests/fixtures/line_fixture.c)
target_link_libraries(line_fixture PRIVATE m)
