/*
 * The syscall floor: each benchmark operation done with the same system calls
 * the Python implementations make, with no interpreter in the way.
 *
 *   floor OPERATION ITERATIONS    prints the nanoseconds per operation
 *   floor --list                  prints the operations it knows
 *
 * The numbers are only meaningful next to the Python ones measured in the
 * same run (bench/__main__.py interleaves them), so this program does no
 * repetition or statistics of its own.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/can.h>
#include <linux/can/raw.h>
#include <linux/if_alg.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define PING_SIZE 64
#define RECV_BUFSIZE 65536
#define BULK_SIZE (1024 * 1024)
#define BULK_CHUNK 65536
#define LINE_SIZE 32
#define LINES_PER_BLOCK 64
#define READER_BUFSIZE 8192

static unsigned char recv_buffer[RECV_BUFSIZE];

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static void check(int result, const char *what)
{
    if (result < 0)
        die(what);
}

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Only the loop is timed, as on the Python side: setting up sockets and
 * tearing them down is not the operation being measured. */
static long long clock_started, clock_stopped;

static void start_clock(void) { clock_started = now_ns(); }
static void stop_clock(void) { clock_stopped = now_ns(); }

/* Blocking send/recv can stop short on a stream; a short transfer here
 * would measure less work than the Python side does, so insist on it all. */
static void send_all(int fd, const void *data, size_t size)
{
    const unsigned char *p = data;

    while (size > 0) {
        ssize_t sent = send(fd, p, size, 0);
        if (sent < 0)
            die("send");
        p += sent;
        size -= (size_t)sent;
    }
}

static void make_pair(int pair[2])
{
    check(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), "socketpair");
}

static void close_pair(int pair[2])
{
    close(pair[0]);
    close(pair[1]);
}

/* recv(65536) and recv_into(65536) make the same system calls; the Python
 * side differs only in who owns the buffer, so one floor serves both. */
static void op_pingpong(long n)
{
    static const unsigned char ping[PING_SIZE];
    int pair[2];

    make_pair(pair);
    start_clock();
    for (long i = 0; i < n; i++) {
        check((int)send(pair[0], ping, sizeof(ping), 0), "send");
        check((int)recv(pair[1], recv_buffer, RECV_BUFSIZE, 0), "recv");
        check((int)send(pair[1], ping, sizeof(ping), 0), "send");
        check((int)recv(pair[0], recv_buffer, RECV_BUFSIZE, 0), "recv");
    }
    stop_clock();
    close_pair(pair);
}

static int bound_socket(int family, int type, struct sockaddr_in *address)
{
    socklen_t length = sizeof(*address);
    int fd = socket(family, type, 0);

    check(fd, "socket");
    memset(address, 0, sizeof(*address));
    address->sin_family = AF_INET;
    address->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    check(bind(fd, (struct sockaddr *)address, sizeof(*address)), "bind");
    check(getsockname(fd, (struct sockaddr *)address, &length), "getsockname");
    return fd;
}

static void op_udp(long n)
{
    static const unsigned char datagram[PING_SIZE];
    struct sockaddr_in to, from, unused;
    socklen_t from_length;
    int sender = bound_socket(AF_INET, SOCK_DGRAM, &unused);
    int receiver = bound_socket(AF_INET, SOCK_DGRAM, &to);

    start_clock();
    for (long i = 0; i < n; i++) {
        check((int)sendto(sender, datagram, sizeof(datagram), 0, (struct sockaddr *)&to,
                          sizeof(to)), "sendto");
        from_length = sizeof(from);
        check((int)recvfrom(receiver, recv_buffer, RECV_BUFSIZE, 0, (struct sockaddr *)&from,
                            &from_length), "recvfrom");
    }
    stop_clock();
    close(sender);
    close(receiver);
}

static int connected_tcp(int listener, const struct sockaddr_in *address, int *accepted)
{
    int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    check(client, "socket");
    check(connect(client, (const struct sockaddr *)address, sizeof(*address)), "connect");
    *accepted = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    check(*accepted, "accept");
    return client;
}

struct bulk_sender {
    int fd;
    long megabytes;
};

static void *send_bulk(void *arg)
{
    static unsigned char block[BULK_SIZE];
    struct bulk_sender *sender = arg;

    for (long i = 0; i < sender->megabytes; i++)
        send_all(sender->fd, block, sizeof(block));
    return NULL;
}

/* The Python side sends from a second thread too: a single thread cannot
 * sendall() a megabyte into a loopback connection that nobody drains. */
static void op_tcp_bulk(long n)
{
    struct sockaddr_in address;
    int listener = bound_socket(AF_INET, SOCK_STREAM, &address);
    int receiver;
    pthread_t thread;
    struct bulk_sender sender;

    check(listen(listener, 1), "listen");
    sender.fd = connected_tcp(listener, &address, &receiver);
    sender.megabytes = n;
    if (pthread_create(&thread, NULL, send_bulk, &sender) != 0)
        die("pthread_create");
    start_clock();
    for (long left = (long)n * BULK_SIZE; left > 0;) {
        ssize_t got = recv(receiver, recv_buffer, BULK_CHUNK, 0);
        if (got <= 0)
            die("recv");
        left -= got;
    }
    stop_clock();
    pthread_join(thread, NULL);
    close(sender.fd);
    close(receiver);
    close(listener);
}

static void op_scm_rights(long n)
{
    int pair[2];
    char byte = 'x';
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;

    make_pair(pair);
    start_clock();
    for (long i = 0; i < n; i++) {
        struct iovec iov = {.iov_base = &byte, .iov_len = 1};
        struct msghdr message = {
            .msg_iov = &iov, .msg_iovlen = 1,
            .msg_control = control.space, .msg_controllen = sizeof(control.space),
        };
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&message);
        int passed = pair[0];

        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &passed, sizeof(int));
        check((int)sendmsg(pair[0], &message, 0), "sendmsg");

        iov.iov_base = recv_buffer;
        message.msg_controllen = sizeof(control.space);
        check((int)recvmsg(pair[1], &message, 0), "recvmsg");
        cmsg = CMSG_FIRSTHDR(&message);
        if (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS)
            die("recvmsg: no SCM_RIGHTS");
        memcpy(&passed, CMSG_DATA(cmsg), sizeof(int));
        close(passed);
    }
    stop_clock();
    close_pair(pair);
}

/* Python opens every socket close-on-exec (PEP 446), so the floor does too. */
static void op_socket_close(long n)
{
    start_clock();
    for (long i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        check(fd, "socket");
        close(fd);
    }
    stop_clock();
}

static void op_connect_accept(long n)
{
    struct sockaddr_in address;
    int listener = bound_socket(AF_INET, SOCK_STREAM, &address);

    check(listen(listener, 128), "listen");
    start_clock();
    for (long i = 0; i < n; i++) {
        int accepted;
        int client = connected_tcp(listener, &address, &accepted);
        close(client);
        close(accepted);
    }
    stop_clock();
    close(listener);
}

static void op_setsockopt(long n)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;

    check(fd, "socket");
    start_clock();
    for (long i = 0; i < n; i++)
        check(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)), "setsockopt");
    stop_clock();
    close(fd);
}

static void op_getsockopt(long n)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int value;
    socklen_t length;

    check(fd, "socket");
    start_clock();
    for (long i = 0; i < n; i++) {
        length = sizeof(value);
        check(getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &value, &length), "getsockopt");
    }
    stop_clock();
    close(fd);
}

/* The compiler must not hoist a pure-looking libc call out of the loop. */
static volatile int sink;

static void pton_loop(int family, const char *text, long n)
{
    unsigned char packed[sizeof(struct in6_addr)];

    start_clock();
    for (long i = 0; i < n; i++) {
        if (inet_pton(family, text, packed) != 1)
            die("inet_pton");
        sink = packed[0];
    }
    stop_clock();
}

static void ntop_loop(int family, const char *text, long n)
{
    unsigned char packed[sizeof(struct in6_addr)];
    char out[INET6_ADDRSTRLEN];

    if (inet_pton(family, text, packed) != 1)
        die("inet_pton");
    start_clock();
    for (long i = 0; i < n; i++) {
        if (inet_ntop(family, packed, out, sizeof(out)) == NULL)
            die("inet_ntop");
        sink = out[0];
    }
    stop_clock();
}

#define V4_TEXT "198.18.0.1"
#define V6_TEXT "fd00::1:2:3"

static void op_pton_v4(long n) { pton_loop(AF_INET, V4_TEXT, n); }
static void op_ntop_v4(long n) { ntop_loop(AF_INET, V4_TEXT, n); }
static void op_pton_v6(long n) { pton_loop(AF_INET6, V6_TEXT, n); }
static void op_ntop_v6(long n) { ntop_loop(AF_INET6, V6_TEXT, n); }

static void op_getaddrinfo(long n)
{
    struct addrinfo hints = {
        .ai_family = AF_INET,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
    };

    start_clock();
    for (long i = 0; i < n; i++) {
        struct addrinfo *result;
        int status = getaddrinfo("127.0.0.1", "8080", &hints, &result);
        if (status != 0) {
            fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(status));
            exit(2);
        }
        sink = result->ai_family;
        freeaddrinfo(result);
    }
    stop_clock();
}

/* What a BufferedReader over the socket does for readline(): fill a buffer
 * with one recv, then cut lines out of it. The writer's sendall of each
 * block of lines is part of the operation on the Python side as well. */
static void op_readline(long n)
{
    static unsigned char block[LINE_SIZE * LINES_PER_BLOCK];
    static unsigned char buffer[READER_BUFSIZE];
    size_t start = 0, end = 0;
    int pair[2];

    for (size_t i = LINE_SIZE - 1; i < sizeof(block); i += LINE_SIZE)
        block[i] = '\n';
    make_pair(pair);
    start_clock();
    for (long i = 0; i < n; i++) {
        unsigned char *newline;

        if (i % LINES_PER_BLOCK == 0)
            send_all(pair[0], block, sizeof(block));
        while ((newline = memchr(buffer + start, '\n', end - start)) == NULL) {
            ssize_t got;
            memmove(buffer, buffer + start, end - start);
            end -= start;
            start = 0;
            got = recv(pair[1], buffer + end, sizeof(buffer) - end, 0);
            if (got <= 0)
                die("recv");
            end += (size_t)got;
        }
        sink = buffer[start];
        start = (size_t)(newline - buffer) + 1;
    }
    stop_clock();
    close_pair(pair);
}

/* Two CAN_RAW sockets on one vcan, as the Python operation has: a frame
 * sent on one comes back on the other.  The interface comes from
 * BENCH_CAN_INTERFACE, as on the Python side. */
static int bound_can_socket(unsigned int ifindex)
{
    struct sockaddr_can address = {.can_family = AF_CAN, .can_ifindex = (int)ifindex};
    int fd = socket(AF_CAN, SOCK_RAW, CAN_RAW);

    check(fd, "socket(AF_CAN)");
    check(bind(fd, (struct sockaddr *)&address, sizeof(address)), "bind(AF_CAN)");
    return fd;
}

static void op_can_raw(long n)
{
    const char *name = getenv("BENCH_CAN_INTERFACE");
    unsigned int ifindex = if_nametoindex(name ? name : "vcan0");
    struct can_frame frame = {.can_id = 0x123, .len = 8}, echoed;
    int sender, receiver;

    if (ifindex == 0)
        die("if_nametoindex");
    sender = bound_can_socket(ifindex);
    receiver = bound_can_socket(ifindex);
    memcpy(frame.data, "canframe", 8);
    start_clock();
    for (long i = 0; i < n; i++) {
        if (send(sender, &frame, sizeof(frame), 0) != (ssize_t)sizeof(frame))
            die("send(AF_CAN)");
        if (recv(receiver, &echoed, sizeof(echoed), 0) != (ssize_t)sizeof(echoed))
            die("recv(AF_CAN)");
    }
    stop_clock();
    close(sender);
    close(receiver);
}

static void op_alg_sha256(long n)
{
    struct sockaddr_alg address = {.salg_family = AF_ALG, .salg_type = "hash",
                                   .salg_name = "sha256"};
    static const unsigned char message[PING_SIZE];
    unsigned char digest[32];
    int transform = socket(AF_ALG, SOCK_SEQPACKET, 0), request;

    check(transform, "socket(AF_ALG)");
    check(bind(transform, (struct sockaddr *)&address, sizeof(address)), "bind(AF_ALG)");
    request = accept(transform, NULL, NULL);
    check(request, "accept(AF_ALG)");
    start_clock();
    for (long i = 0; i < n; i++) {
        if (send(request, message, sizeof(message), 0) != (ssize_t)sizeof(message))
            die("send(AF_ALG)");
        if (recv(request, digest, sizeof(digest), 0) != (ssize_t)sizeof(digest))
            die("recv(AF_ALG)");
    }
    stop_clock();
    close(request);
    close(transform);
}

struct operation {
    const char *name;
    void (*run)(long n);
};

static const struct operation operations[] = {
    {"pingpong_recv", op_pingpong},
    {"pingpong_recv_into", op_pingpong},
    {"udp_sendto_recvfrom", op_udp},
    {"tcp_bulk_1mib", op_tcp_bulk},
    {"sendmsg_recvmsg_scm_rights", op_scm_rights},
    {"socket_close", op_socket_close},
    {"tcp_connect_accept", op_connect_accept},
    {"setsockopt_int", op_setsockopt},
    {"getsockopt_int", op_getsockopt},
    {"inet_pton_v4", op_pton_v4},
    {"inet_ntop_v4", op_ntop_v4},
    {"inet_pton_v6", op_pton_v6},
    {"inet_ntop_v6", op_ntop_v6},
    {"getaddrinfo_numeric", op_getaddrinfo},
    {"makefile_readline", op_readline},
    {"can_raw_roundtrip", op_can_raw},
    {"af_alg_sha256", op_alg_sha256},
};

#define OPERATION_COUNT (sizeof(operations) / sizeof(operations[0]))

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < OPERATION_COUNT; i++)
            puts(operations[i].name);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s OPERATION ITERATIONS | --list\n", argv[0]);
        return 2;
    }
    long n = strtol(argv[2], NULL, 10);
    if (n <= 0) {
        fprintf(stderr, "ITERATIONS must be a positive integer\n");
        return 2;
    }
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        if (strcmp(argv[1], operations[i].name) == 0) {
            operations[i].run(n);
            printf("%.1f\n", (double)(clock_stopped - clock_started) / (double)n);
            return 0;
        }
    }
    fprintf(stderr, "unknown operation %s (try --list)\n", argv[1]);
    return 2;
}
