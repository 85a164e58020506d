# sources of core/ppp
