// Floor of one HTTP/1.1 answer on loopback on this machine: what `markgate serve` could reach at best.
//
// An epoll server in C, one thread, that answers every request on a keep-alive connection with a fixed small
// JSON body as soon as its head and Content-Length body are in, and does nothing else: no HTTP library, no
// screening. Driven by the same generator as the service (`markgate-load`, open loop), in the same sitting, it
// shows what the kernel's loopback TCP, the scheduler and this VM cost per request and in the latency tail.
// `scripts/load` builds and runs it after the service's runs.
//
//   gcc -O2 -o /tmp/http-floor Benchmarks/c/http-floor.c && taskset -c 1 /tmp/http-floor 8090 &
//   taskset -c 0 markgate-load --spin --port 8090 --rate 5000 --duration 10 --body parcel.json
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXC 4096
static char buf[MAXC][16384];
static int len[MAXC];

static const char body[] = "{\"parcel\":\"LOAD1\",\"decision\":\"inspect\",\"score\":0.95}";

// Whether buf holds a whole request (head and Content-Length body); sets its size.
static int complete(const char *b, int n, int *size) {
    const char *end = memmem(b, n, "\r\n\r\n", 4);
    if (!end) return 0;
    int head = (int)(end - b) + 4, length = 0;
    const char *cl = memmem(b, head, "Content-Length:", 15);
    if (cl) length = atoi(cl + 15);
    if (n < head + length) return 0;
    *size = head + length;
    return 1;
}

int main(int argc, char **argv) {
    int port = atoi(argv[1]);
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 1024)) { perror("listen"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    char response[512];
    int rlen = snprintf(response, sizeof response,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                        strlen(body), body);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == ls) {
                int c = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
                if (c < 0 || c >= MAXC) { if (c >= 0) close(c); continue; }
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                len[c] = 0;
                struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                continue;
            }
            for (;;) {
                int r = read(fd, buf[fd] + len[fd], sizeof buf[fd] - len[fd]);
                if (r == 0 || (r < 0 && errno != EAGAIN)) { close(fd); break; }
                if (r < 0) break;
                len[fd] += r;
                int size;
                while (complete(buf[fd], len[fd], &size)) {
                    if (write(fd, response, rlen) < 0) break;
                    memmove(buf[fd], buf[fd] + size, len[fd] - size);
                    len[fd] -= size;
                }
            }
        }
    }
}
