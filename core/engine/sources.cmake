# sources of core/engine
