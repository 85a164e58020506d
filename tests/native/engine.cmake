# Engine tests (state machine, handle table, loop, simulated link).
