# sources of core/link
