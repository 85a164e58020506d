/* LD_PRELOAD library for 32-bit Wine run by qemu-i386 (wine32/README.md).
 *
 * qemu-user builds the signal frame of a guest fault with trapno = -1, so
 * Wine's i386 signal handler cannot tell a page fault from a divide error and
 * reports every hardware fault as EXCEPTION_ILLEGAL_INSTRUCTION. This library
 * interposes sigaction() for the fault signals: the handler the program
 * installs is called through a trampoline that first fills the trap number in
 * from si_code, as the kernel would have. Nothing else changes; a frame that
 * already carries a trap number is passed on untouched, so the library is
 * harmless where the kernel runs i386 code itself.
 *
 * Built with -ffreestanding -nostdlib (no i386 development packages needed):
 * it uses no header but gcc's own, and dlsym resolves at load time against the
 * process's libc. On x86_64 it is an empty library: 64-bit code runs natively,
 * and the file exists only so that LD_PRELOAD=.../$LIB/... finds one for each
 * loader. */
#include <stddef.h>

#if defined(__i386__)

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGSEGV 11
#define SA_SIGINFO 4
#define NSIG_WRAPPED 32

/* x86 trap numbers, as the kernel puts them in the frame */
#define TRAP_DIVIDE 0
#define TRAP_DEBUG 1
#define TRAP_BREAKPOINT 3
#define TRAP_OVERFLOW 4
#define TRAP_INVALID_OPCODE 6
#define TRAP_PROTECTION 13
#define TRAP_PAGE_FAULT 14
#define TRAP_FPU 16
#define TRAP_ALIGNMENT 17

/* glibc's i386 layouts */
typedef struct {
  int si_signo;
  int si_errno;
  int si_code;
} shim_siginfo;

typedef void (*shim_action)(int, shim_siginfo *, void *);

typedef struct {
  shim_action handler; /* sa_handler / sa_sigaction */
  unsigned long mask[32];
  int flags;
  void (*restorer)(void);
} shim_sigaction;

/* ucontext_t: uc_flags, uc_link, uc_stack (12 bytes), then mcontext's gregs */
#define UC_GREGS_OFFSET 20
#define REG_TRAPNO 12

#define RTLD_NEXT ((void *)-1L)
extern void *dlsym(void *handle, const char *name);

typedef int (*sigaction_fn)(int, const shim_sigaction *, shim_sigaction *);

static sigaction_fn real_sigaction;
static shim_action volatile saved[NSIG_WRAPPED];

static int wrapped(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP;
}

static int trap_of(int sig, int code) {
  switch (sig) {
  case SIGSEGV:
    return code == 0x80 ? TRAP_PROTECTION : TRAP_PAGE_FAULT; /* SI_KERNEL: #GP */
  case SIGBUS:
    return code == 1 ? TRAP_ALIGNMENT : TRAP_PAGE_FAULT; /* BUS_ADRALN */
  case SIGFPE:
    if (code == 1)
      return TRAP_DIVIDE;                        /* FPE_INTDIV */
    return code == 2 ? TRAP_OVERFLOW : TRAP_FPU; /* FPE_INTOVF, else x87/SSE */
  case SIGTRAP:
    return code == 1 ? TRAP_BREAKPOINT : TRAP_DEBUG; /* TRAP_BRKPT */
  default:
    return TRAP_INVALID_OPCODE;
  }
}

static void trampoline(int sig, shim_siginfo *si, void *uc) {
  int *trapno = (int *)((char *)uc + UC_GREGS_OFFSET) + REG_TRAPNO;
  if (uc && si && *trapno == -1)
    *trapno = trap_of(sig, si->si_code);
  shim_action h = saved[sig];
  if (h)
    h(sig, si, uc);
}

int sigaction(int sig, const shim_sigaction *act, shim_sigaction *oact) {
  if (!real_sigaction)
    real_sigaction = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  if (!real_sigaction)
    return -1;
  if (sig <= 0 || sig >= NSIG_WRAPPED || !wrapped(sig))
    return real_sigaction(sig, act, oact);

  shim_action prev = saved[sig];
  shim_sigaction copy;
  const shim_sigaction *use = act;
  /* SIG_DFL (0) and SIG_IGN (1) and plain handlers pass through unchanged. */
  int wrap = act && (act->flags & SA_SIGINFO) && (size_t)act->handler > 1;
  if (wrap) {
    copy = *act;
    copy.handler = trampoline;
    use = &copy;
    saved[sig] = act->handler; /* before the kernel can call the trampoline */
  }
  int r = real_sigaction(sig, use, oact);
  if (r != 0) {
    saved[sig] = prev;
    return r;
  }
  if (act && !wrap)
    saved[sig] = NULL;
  if (oact && oact->handler == trampoline)
    oact->handler = prev;
  return r;
}

#else
/* x86_64: nothing to do (see above); ISO C wants one declaration. */
typedef int ora_fault_shim_empty;
#endif
