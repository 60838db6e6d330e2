#ifndef SMALLCHANGES_READLINE_SHIM_H
#define SMALLCHANGES_READLINE_SHIM_H

/* The whole C surface SmallChanges uses from GNU readline. Swift 6 cannot touch readline's mutable
   globals safely, so every access goes through a small function here. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

static volatile sig_atomic_t sc_interrupted = 0;
static char *sc_line_result = NULL;
static int sc_line_ready = 0;
static char **sc_words = NULL;
static int sc_word_count = 0;

static void sc_on_sigint(int signo) { (void)signo; sc_interrupted = 1; }

static void sc_line_handler(char *line) {
    sc_line_result = line;
    sc_line_ready = 1;
    rl_callback_handler_remove();
}

static char *sc_completion_generator(const char *text, int state) {
    static int index;
    static size_t length;
    if (state == 0) { index = 0; length = strlen(text); }
    while (index < sc_word_count) {
        const char *word = sc_words[index++];
        if (strncmp(word, text, length) == 0) return strdup(word);
    }
    return NULL;
}

static char **sc_attempted_completion(const char *text, int start, int end) {
    (void)end;
    rl_attempted_completion_over = 1; /* never fall back to file names: answers are not paths */
    if (start != 0 && text[0] != '/') return NULL;
    return rl_completion_matches(text, sc_completion_generator);
}

/* Sets up readline for the REPL: our own SIGINT handling, completion of the given words, and
   bracketed paste so a pasted block arrives as one line, newlines and all, to be one answer (off when
   output is captured, where its escape codes would land in the transcript). An ~/.inputrc that sets
   enable-bracketed-paste still has the last word. */
static inline void sc_setup(const char *name, char *const *words, int count, int bracketed_paste) {
    rl_readline_name = name;
    rl_catch_signals = 0;
    rl_variable_bind("enable-bracketed-paste", bracketed_paste ? "on" : "off");
    rl_attempted_completion_function = sc_attempted_completion;
    sc_words = (char **)calloc((size_t)count, sizeof(char *));
    if (sc_words != NULL) {
        for (int i = 0; i < count; i++) sc_words[i] = strdup(words[i]);
        sc_word_count = count;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = sc_on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; /* no SA_RESTART: poll() must return EINTR */
    sigaction(SIGINT, &action, NULL);
    /* A parent may have started us with SIGINT blocked; Ctrl-C must reach the handler. */
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
}

/* Whether a line is being edited: sc_readline_watch returned 2 and will carry on with it. */
static int sc_line_active = 0;

/* Reads one line with editing, while also watching `other_fd` (-1: none). Returns 0 with *out = the
   line (malloc'd; NULL on end of input); 1 when Ctrl-C interrupted the line, with *out = what had been
   typed (malloc'd); or 2 when other_fd became readable first, with *out = NULL: the line being typed is
   kept and taken off the screen, so the caller can print, then call again to show it and go on. */
static inline int sc_readline_watch(const char *prompt, int other_fd, char **out) {
    FILE *output = rl_outstream ? rl_outstream : stdout;
    sc_interrupted = 0;
    if (sc_line_active) {
        rl_set_prompt(prompt);
        rl_on_new_line();
        rl_redisplay();
    } else {
        sc_line_ready = 0;
        sc_line_result = NULL;
        rl_callback_handler_install(prompt, sc_line_handler);
        sc_line_active = 1;
    }
    while (!sc_line_ready) {
        struct pollfd fds[2] = {
            { .fd = fileno(rl_instream ? rl_instream : stdin), .events = POLLIN, .revents = 0 },
            { .fd = other_fd, .events = POLLIN, .revents = 0 },
        };
        int ready = poll(fds, other_fd >= 0 ? 2 : 1, -1);
        if (ready < 0) {
            if (errno != EINTR) { rl_callback_handler_remove(); sc_line_active = 0; *out = NULL; return 0; }
            if (sc_interrupted) {
                sc_interrupted = 0;
                *out = strdup(rl_line_buffer ? rl_line_buffer : "");
                rl_replace_line("", 0);
                rl_callback_sigcleanup();
                rl_callback_handler_remove();
                sc_line_active = 0;
                fputs("\n", output);
                fflush(output);
                return 1;
            }
            continue;
        }
        if (fds[0].revents != 0) {
            rl_callback_read_char();
            continue;
        }
        if (other_fd >= 0 && fds[1].revents != 0) {
            rl_clear_visible_line();
            fflush(output);
            *out = NULL;
            return 2;
        }
    }
    sc_line_active = 0;
    *out = sc_line_result;
    return 0;
}

/* sc_readline_watch with the line as the result and the status through `status`, for callers that would rather
   not hold a pointer to a pointer. */
static inline char *sc_readline_next(const char *prompt, int other_fd, int *status) {
    char *line = NULL;
    *status = sc_readline_watch(prompt, other_fd, &line);
    return line;
}

/* Drops a line left half-typed by sc_readline_watch returning 2. */
static inline void sc_readline_cancel(void) {
    if (!sc_line_active) return;
    rl_callback_handler_remove();
    sc_line_active = 0;
}

static inline void sc_free(char *line) { free(line); }

static inline void sc_history_setup(int limit) { using_history(); stifle_history(limit); }
static inline void sc_history_add(const char *line) { add_history(line); }
static inline void sc_history_clear(void) { clear_history(); }
static inline int sc_history_read(const char *path) { return read_history(path); }
static inline int sc_history_write(const char *path) { return write_history(path); }

#endif
