/*
 * resolve's insides, shared with lane.c: a lookup's way from the
 * caller's thread to a libunbound context on a thread of its own (a
 * lane), and its answer's way back.
 */
#ifndef RESOLVE_PRIV_H
#define RESOLVE_PRIV_H

#include <pthread.h>
#include <semaphore.h>

#include <unbound.h>

#include "resolve.h"

struct event;
struct event_base;

/*
 * Lookups handed to libunbound at once, over all of a context's lanes.
 * Each one in flight holds its own query state (kilobytes); beyond this
 * many, later lookups wait for a free place, in order, whatever their
 * lane.  With lookups answered in about two round trips, the window
 * bounds how many a second a run gets through: on the bench, 10,000
 * names take 2.3 s with 512 against 2.85 s with 256 without the
 * nameserver check, and 3.5 s against 3.8 s with it, for 6 MB more;
 * 768 gains nothing more with the check and passes 64 MiB.
 */
#define RESOLVE_WINDOW	512

/*
 * Validating contexts at most.  A validating context checks signatures
 * on one thread, and 10,000 names keep it busy for seconds; with two
 * cores two contexts halve that.  Each zone's lookups all go to one
 * context (resolve_lane()), so that its keys are fetched and validated
 * once.
 */
#define RESOLVE_LANES	2

/* One libunbound context, its event base and its thread. */
struct lane {
	struct resolve		 *r;
	struct ub_ctx		 *ctx;
	struct event_base	 *base;
	struct event		 *wake;		/* wakefd readable */
	int			  wakefd;	/* eventfd: lookups to start */
	pthread_t		  thread;
	int			  threaded;	/* its thread runs */
	int			  nothread;	/* its thread could not start:
						   its lookups go to the first
						   lane */
	int			  error;	/* libunbound's, on the first */
	sem_t			  go;		/* the thread may run */
	int			  sem;		/* go initialised */
	char			  name[16];	/* its thread's, for top -H */
	/* Under r->lock. */
	struct pending		 *in;		/* to start, in order */
	struct pending		 *in_tail;
	int			  stop;		/* leave the event loop */
};

/* A lookup in flight. */
struct pending {
	struct resolve		*r;
	struct lane		*lane;
	int			 id;		/* libunbound's async id */
	size_t			 slot;		/* index in r->pend */
	resolve_cb		 cb;
	void			*arg;
	char			*qname;
	int			 qtype;
	double			 start;
	int			 sent;		/* handed to libunbound */
	struct pending		*wnext;		/* waiting for a place */
	/* Under r->lock: a lane's queue, then the answers' queue. */
	struct pending		*qnext;
	int			 answered;	/* ans is its answer */
	struct resolve_answer	*ans;
};

struct resolve {
	struct lane	  lanes[RESOLVE_LANES];
	size_t		  nlanes;
	pthread_mutex_t	  lock;		/* the lanes' queues, done */
	int		  locked;	/* lock initialised */
	int		  donefd;	/* eventfd: answers to deliver */
	struct pending	 *done;		/* answered, in order */
	struct pending	 *done_tail;
	struct pending	**pend;		/* outstanding lookups */
	size_t		  npend;
	size_t		  cap;
	size_t		  started;
	size_t		  inflight;	/* handed to libunbound */
	size_t		  window;
	size_t		  unsent;	/* cancelled while waiting */
	struct pending	 *waiting;	/* in order */
	struct pending	 *waiting_tail;
	struct pending	 *ahead;	/* waiting, but sent first */
	struct pending	 *ahead_tail;
	int		  cancelling;	/* no new lookups */
	int		  validate;	/* 0: resolve_new_plain() */
};

/*
 * lane.c.  On the caller's thread: set up (and free) the queues' lock
 * and the answers' eventfd (resolve_fd()); set a lane's event base up;
 * hand a lookup over (0, or libunbound's error; its lane's thread starts
 * with its first lookup); take the answers that came, in order; stop
 * every lane, whose queues are then the caller's; free a lane's base.
 */
int		 lane_queues_init(struct resolve *, char *, size_t);
void		 lane_queues_free(struct resolve *);
int		 lane_init(struct resolve *, struct lane *, char *, size_t);
int		 lane_hand_over(struct pending *);
struct pending	*lane_take_done(struct resolve *);
void		 lane_stop_all(struct resolve *);
void		 lane_free(struct lane *);
/*
 * A lookup's answer in a state of its own (its qname taken from the
 * lookup), or libunbound's error; NULL when memory ran out.
 */
struct resolve_answer *lane_answer(struct pending *, enum resolve_state);
struct resolve_answer *lane_error(struct pending *, int);

#endif /* RESOLVE_PRIV_H */
