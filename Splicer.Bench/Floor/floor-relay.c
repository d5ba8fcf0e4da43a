/*
 * floor-relay: the least a transit relay can do, as the bench's floor (not a competitor).
 *
 * One thread, one epoll set, non-blocking sockets, no timeouts, no limits, no logging. Each
 * connection sends "please relay TOKEN for side SIDE\n" (or "please relay TOKEN\n"); two with the
 * same token and different sides (or no side) are paired, both hear "ok\n", and from then on bytes
 * are copied through a small buffer; a FIN is passed on, and a pair closes when both sides ended.
 * Anything else closes the connection. Built by Splicer.Bench at run time with the system compiler.
 *
 *   floor-relay PORT        listens on 127.0.0.1:PORT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINE_MAX_BYTES 128
#define COPY_BYTES 65536
#define TABLE_SIZE 65536 /* waiting tokens, chained */

enum stage { HANDSHAKE, WAITING, PAIRED };

struct conn {
    int fd;
    enum stage stage;
    unsigned char got_eof, dead;
    unsigned short line_length;
    char *line;            /* the handshake line while it is read and while waiting; freed once paired */
    struct conn *peer;
    struct conn *next_waiting;
    char *pending;         /* bytes read from this side that the peer could not take yet */
    int pending_length, pending_offset;
};

static int epoll_fd;
static struct conn *waiting[TABLE_SIZE];
static char copy_buffer[COPY_BYTES];

static void watch(struct conn *c, uint32_t events, int op) {
    struct epoll_event event = { .events = events, .data.ptr = c };
    epoll_ctl(epoll_fd, op, c->fd, &event);
}

static unsigned hash(const char *token, size_t length) {
    unsigned h = 2166136261u;
    for (size_t i = 0; i < length; i++) h = (h ^ (unsigned char)token[i]) * 16777619u;
    return h % TABLE_SIZE;
}

/* Token and side of a complete line; 0 if it is not a handshake. */
static int parse(struct conn *c, const char **token, size_t *token_length, const char **side, size_t *side_length) {
    static const char prefix[] = "please relay ";
    static const char for_side[] = " for side ";
    size_t length = c->line_length - 1; /* without the newline */
    if (length <= sizeof prefix - 1 || memcmp(c->line, prefix, sizeof prefix - 1) != 0) return 0;
    *token = c->line + sizeof prefix - 1;
    const char *end = c->line + length;
    const char *space = memchr(*token, ' ', (size_t)(end - *token));
    if (space == NULL) {
        *token_length = (size_t)(end - *token);
        *side = NULL;
        *side_length = 0;
        return *token_length > 0;
    }
    *token_length = (size_t)(space - *token);
    if ((size_t)(end - space) <= sizeof for_side - 1 || memcmp(space, for_side, sizeof for_side - 1) != 0) return 0;
    *side = space + sizeof for_side - 1;
    *side_length = (size_t)(end - *side);
    return *token_length > 0;
}

static void unlink_waiting(struct conn *c) {
    const char *token, *side;
    size_t token_length, side_length;
    parse(c, &token, &token_length, &side, &side_length);
    struct conn **slot = &waiting[hash(token, token_length)];
    while (*slot != NULL && *slot != c) slot = &(*slot)->next_waiting;
    if (*slot == c) *slot = c->next_waiting;
}

/* Closed now, freed after the batch of events, which may still name it. */
static struct conn *graveyard;

static void drop(struct conn *c) {
    if (c->dead) return;
    if (c->stage == WAITING) unlink_waiting(c);
    close(c->fd);
    c->dead = 1;
    c->next_waiting = graveyard;
    graveyard = c;
}

static void bury(void) {
    while (graveyard != NULL) {
        struct conn *c = graveyard;
        graveyard = c->next_waiting;
        free(c->line);
        free(c->pending);
        free(c);
    }
}

static void drop_pair(struct conn *c) {
    struct conn *peer = c->peer;
    drop(c);
    if (peer != NULL) drop(peer);
}

static int same_token(struct conn *a, const char *token, size_t token_length, const char *side, size_t side_length) {
    const char *other_token, *other_side;
    size_t other_token_length, other_side_length;
    parse(a, &other_token, &other_token_length, &other_side, &other_side_length);
    if (other_token_length != token_length || memcmp(other_token, token, token_length) != 0) return 0;
    if (side == NULL || other_side == NULL) return 1;
    return !(side_length == other_side_length && memcmp(side, other_side, side_length) == 0);
}

static void pair_or_wait(struct conn *c) {
    const char *token, *side;
    size_t token_length, side_length;
    if (!parse(c, &token, &token_length, &side, &side_length)) {
        (void)!write(c->fd, "bad handshake\n", 14);
        drop(c);
        return;
    }
    struct conn **slot = &waiting[hash(token, token_length)];
    for (; *slot != NULL; slot = &(*slot)->next_waiting) {
        struct conn *other = *slot;
        if (same_token(other, token, token_length, side, side_length)) {
            *slot = other->next_waiting;
            other->stage = PAIRED;
            c->stage = PAIRED;
            other->peer = c;
            c->peer = other;
            free(other->line);
            free(c->line);
            other->line = c->line = NULL;
            (void)!write(other->fd, "ok\n", 3);
            (void)!write(c->fd, "ok\n", 3);
            return;
        }
    }
    c->stage = WAITING;
    c->next_waiting = *slot;
    *slot = c;
}

/* A client sends nothing after its line until it hears ok, so a read never takes more than the line. */
static void read_handshake(struct conn *c) {
    ssize_t got = read(c->fd, c->line + c->line_length, LINE_MAX_BYTES - c->line_length);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (got <= 0) { drop(c); return; }
    c->line_length += (unsigned short)got;
    char *newline = memchr(c->line, '\n', c->line_length);
    if (newline == c->line + c->line_length - 1) { pair_or_wait(c); return; }
    if (newline == NULL && c->line_length < LINE_MAX_BYTES) return;
    (void)!write(c->fd, "bad handshake\n", 14);
    drop(c);
}

/* Sends what c holds for its peer; 1 when all went, 0 when the peer is full, -1 on error. */
static int flush(struct conn *c) {
    while (c->pending_offset < c->pending_length) {
        ssize_t sent = write(c->peer->fd, c->pending + c->pending_offset, (size_t)(c->pending_length - c->pending_offset));
        if (sent > 0) { c->pending_offset += (int)sent; continue; }
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && errno == EAGAIN) return 0;
        return -1;
    }
    free(c->pending);
    c->pending = NULL;
    c->pending_length = c->pending_offset = 0;
    return 1;
}

static void end_direction(struct conn *c) {
    c->got_eof = 1;
    shutdown(c->peer->fd, SHUT_WR);
    if (c->peer->got_eof) drop_pair(c);
    else watch(c, 0, EPOLL_CTL_MOD);
}

static void copy(struct conn *c) {
    for (;;) {
        ssize_t got = read(c->fd, copy_buffer, COPY_BYTES);
        if (got == 0) { end_direction(c); return; }
        if (got < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;
            drop_pair(c);
            return;
        }
        ssize_t sent = write(c->peer->fd, copy_buffer, (size_t)got);
        if (sent < 0 && errno != EAGAIN && errno != EINTR) { drop_pair(c); return; }
        if (sent < 0) sent = 0;
        if (sent < got) {
            /* The peer is full: keep the rest, stop reading this side until the peer drains. */
            c->pending_length = (int)(got - sent);
            c->pending = malloc((size_t)c->pending_length);
            memcpy(c->pending, copy_buffer + sent, (size_t)c->pending_length);
            watch(c, 0, EPOLL_CTL_MOD);
            watch(c->peer, (c->peer->got_eof ? 0 : EPOLLIN) | EPOLLOUT, EPOLL_CTL_MOD);
            return;
        }
    }
}

static void writable(struct conn *c) {
    struct conn *source = c->peer;
    int flushed = flush(source);
    if (flushed < 0) { drop_pair(c); return; }
    if (flushed == 0) return;
    watch(c, c->got_eof ? 0 : EPOLLIN, EPOLL_CTL_MOD);
    watch(source, EPOLLIN, EPOLL_CTL_MOD);
    copy(source);
}

static void accept_all(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
        if (fd < 0) return;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct conn *c = calloc(1, sizeof *c);
        c->fd = fd;
        c->line = malloc(LINE_MAX_BYTES);
        watch(c, EPOLLIN, EPOLL_CTL_ADD);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: floor-relay PORT\n"); return 2; }
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4096) != 0) { perror("floor-relay"); return 1; }
    epoll_fd = epoll_create1(0);
    struct epoll_event listen_event = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &listen_event);
    printf("floor-relay listening on 127.0.0.1:%s\n", argv[1]);
    fflush(stdout);
    struct epoll_event events[256];
    for (;;) {
        int ready = epoll_wait(epoll_fd, events, 256, -1);
        for (int i = 0; i < ready; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) { accept_all(listener); continue; }
            if (c->dead) continue;
            if (c->stage == HANDSHAKE) { read_handshake(c); continue; }
            if (c->stage == WAITING) {
                /* Anything before "ok" (a byte, a FIN, an error) ends a waiting connection. */
                drop(c);
                continue;
            }
            if (events[i].events & EPOLLOUT) { writable(c); continue; }
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) copy(c);
        }
        bury();
    }
}
