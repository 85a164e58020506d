/* orafetch HOST PORT: connects to HOST:PORT over TCP, prints what the server sends until
 * it closes (at most 4 KB) and the local address the connection used. A plain Winsock
 * program: run while a RasDial link is up in the data plane's sandbox
 * (docs/data-plane.md), its connection goes over the PPP link. Exit 0 on success, 1 if
 * the connection failed. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: orafetch HOST PORT\n");
    return 2;
  }
  WSADATA wd;
  if (WSAStartup(MAKEWORD(2, 2), &wd) != 0)
    return 1;
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(argv[1], argv[2], &hints, &res) != 0 || !res) {
    printf("orafetch: cannot resolve %s\n", argv[1]);
    return 1;
  }
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  DWORD to = 10000;
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&to, sizeof to);
  if (connect(s, res->ai_addr, (int)res->ai_addrlen) != 0) {
    printf("orafetch: cannot connect to %s:%s (Winsock error %d)\n", argv[1], argv[2],
           WSAGetLastError());
    freeaddrinfo(res);
    return 1;
  }
  freeaddrinfo(res);
  struct sockaddr_in me;
  int ml = sizeof me;
  getsockname(s, (struct sockaddr *)&me, &ml);
  char buf[4097];
  int got = 0, r;
  while (got < 4096 && (r = recv(s, buf + got, 4096 - got, 0)) > 0)
    got += r;
  buf[got] = '\0';
  closesocket(s);
  printf("%s", buf);
  if (got && buf[got - 1] != '\n')
    printf("\n");
  printf("(local address %s, %d bytes)\n", inet_ntoa(me.sin_addr), got);
  WSACleanup();
  return got > 0 ? 0 : 1;
}
