# sources of dll/ beyond main.c and stubs.c
