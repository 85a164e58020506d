/* The raw byte rate of a COM port under Wine (the baseline of the data plane's
 * throughput through the real path): a Windows program writes, then reads, BYTES over a
 * COM port that Wine maps to a socat pty, opened and set up as the engine's serial
 * stream does (overlapped, raw 8N1, the read timeouts it uses under Wine). Prints
 * "name<TAB>value<TAB>unit<TAB>runs" lines.
 * Usage: bench_comport COMW SINKFILE COMR MBYTES
 *   COMW: a port whose other side is `cat > SINKFILE` (the write rate ends when the file
 *         holds every byte); COMR: a port whose other side sends MBYTES MB at once. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static HANDLE open_port(const char *name) {
  char path[64];
  snprintf(path, sizeof path, "\\\\.\\%s", name);
  HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                         FILE_FLAG_OVERLAPPED, NULL);
  if (h == INVALID_HANDLE_VALUE)
    return h;
  DCB dcb;
  memset(&dcb, 0, sizeof dcb);
  dcb.DCBlength = sizeof dcb;
  GetCommState(h, &dcb);
  dcb.BaudRate = 115200;
  dcb.ByteSize = 8;
  dcb.Parity = NOPARITY;
  dcb.StopBits = ONESTOPBIT;
  dcb.fBinary = TRUE;
  dcb.fDtrControl = DTR_CONTROL_ENABLE;
  dcb.fRtsControl = RTS_CONTROL_ENABLE;
  dcb.fOutX = dcb.fInX = FALSE;
  SetCommState(h, &dcb);
  COMMTIMEOUTS to;
  memset(&to, 0, sizeof to);
  const char *mode = getenv("ORA_COM_MODE");
  if (mode && strcmp(mode, "avail") == 0)
    to.ReadIntervalTimeout = MAXDWORD; /* with no totals: what is there, at once */
  else
    to.ReadIntervalTimeout = 1; /* what core/os/win32_stream.c uses under Wine */
  to.WriteTotalTimeoutConstant = 10000;
  SetCommTimeouts(h, &to);
  return h;
}

static double now_s(void) {
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart / (double)f.QuadPart;
}

static long long file_size(const char *path) {
  WIN32_FILE_ATTRIBUTE_DATA a;
  if (!GetFileAttributesExA(path, GetFileExInfoStandard, &a))
    return -1;
  return ((long long)a.nFileSizeHigh << 32) | a.nFileSizeLow;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: bench_comport COMW SINKFILE COMR MBYTES\n");
    return 2;
  }
  long long total = atoll(argv[4]) << 20;
  static char buf[65536];
  memset(buf, 0x5a, sizeof buf);
  HANDLE w = open_port(argv[1]);
  if (w == INVALID_HANDLE_VALUE) {
    fprintf(stderr, "bench_comport: cannot open %s\n", argv[1]);
    return 1;
  }
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  double t0 = now_s();
  for (long long sent = 0; sent < total;) {
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev;
    ResetEvent(ev);
    long long left = total - sent;
    DWORD n = 0, part = left < (long long)sizeof buf ? (DWORD)left : (DWORD)sizeof buf;
    if (!WriteFile(w, buf, part, &n, &ov) &&
        (GetLastError() != ERROR_IO_PENDING || !GetOverlappedResult(w, &ov, &n, TRUE)))
      return 1;
    sent += n;
  }
  while (file_size(argv[2]) < total && now_s() - t0 < 120)
    Sleep(1);
  double wt = now_s() - t0;
  CloseHandle(w);
  HANDLE r = open_port(argv[3]);
  if (r == INVALID_HANDLE_VALUE)
    return 1;
  long long got = 0;
  double t1 = 0;
  while (got < total) {
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev;
    ResetEvent(ev);
    DWORD n = 0;
    if (!ReadFile(r, buf, sizeof buf, &n, &ov) &&
        (GetLastError() != ERROR_IO_PENDING || !GetOverlappedResult(r, &ov, &n, TRUE)))
      break;
    if (n && !got)
      t1 = now_s(); /* from the first byte: the sender starts when the port opens */
    got += n;
  }
  double rt = now_s() - t1;
  CloseHandle(r);
  if (argc > 5) { /* round trips of 64 bytes through a port whose other side echoes */
    HANDLE e = open_port(argv[5]);
    enum { N = 200 };
    double rtt[N];
    int k = 0;
    for (; e != INVALID_HANDLE_VALUE && k < N; k++) {
      double t = now_s();
      OVERLAPPED ov;
      memset(&ov, 0, sizeof ov);
      ov.hEvent = ev;
      ResetEvent(ev);
      DWORD n = 0;
      if (!WriteFile(e, buf, 64, &n, &ov) &&
          (GetLastError() != ERROR_IO_PENDING || !GetOverlappedResult(e, &ov, &n, TRUE)))
        break;
      DWORD back = 0;
      while (back < 64) {
        memset(&ov, 0, sizeof ov);
        ov.hEvent = ev;
        ResetEvent(ev);
        n = 0;
        if (!ReadFile(e, buf, 4096, &n, &ov) && /* as the engine reads */
            (GetLastError() != ERROR_IO_PENDING || !GetOverlappedResult(e, &ov, &n, TRUE)))
          break;
        back += n;
      }
      rtt[k] = (now_s() - t) * 1e6;
    }
    for (int i = 1; i < k; i++) /* insertion sort: N is small */
      for (int j = i; j > 0 && rtt[j] < rtt[j - 1]; j--) {
        double x = rtt[j];
        rtt[j] = rtt[j - 1];
        rtt[j - 1] = x;
      }
    if (k)
      printf("wine_com_rtt64_us\t%.0f\tus\t%d\n", rtt[k / 2], k);
    /* with nothing to read, does a read wait (and not complete empty at once)? */
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev;
    ResetEvent(ev);
    DWORD n = 0;
    int waits = 0;
    if (!ReadFile(e, buf, 4096, &n, &ov) && GetLastError() == ERROR_IO_PENDING) {
      waits = WaitForSingleObject(ev, 300) == WAIT_TIMEOUT;
      CancelIo(e);
      GetOverlappedResult(e, &ov, &n, TRUE);
    }
    printf("wine_com_idle_read_waits\t%d\tbool\t1\n", waits);
  }
  printf("wine_com_write_MBps\t%.2f\tMB/s\t1\n", (double)total / 1048576.0 / wt);
  printf("wine_com_read_MBps\t%.2f\tMB/s\t1\n", got == total ? (double)total / 1048576.0 / rt : 0);
  return 0;
}
