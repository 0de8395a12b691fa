/*
 * probe_queue: where each direct query is.  Queued behind its server's
 * cap, in flight on one of the deadline lists (enum qlist), and, over
 * UDP, waiting on its server's socket under an ID of its own.
 */
#include <sys/random.h>

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "probe_priv.h"
#include "resolve.h"

/*
 * RFC 5452 §9.2: an unpredictable ID.  Drawn from the kernel 256 at a
 * time, one system call where libldns's took one (getpid()) per query.
 */
static uint16_t
random_id(struct probe *p)
{
	size_t	 i;

	if (p->nids == 0) {
		if (getrandom(p->ids, sizeof(p->ids), 0) !=
		    (ssize_t)sizeof(p->ids))
			for (i = 0; i < sizeof(p->ids) / sizeof(p->ids[0]); i++)
				p->ids[i] = (uint16_t)ldns_get_random();
		p->nids = sizeof(p->ids) / sizeof(p->ids[0]);
	}
	return p->ids[--p->nids];
}

/* The query on a's socket with this ID, or NULL. */
struct query *
probe_peer_query(const struct peer *a, uint16_t id)
{
	struct query	*q;

	for (q = a->udp; q != NULL; q = q->unext)
		if (q->id == id)
			return q;
	return NULL;
}

int
probe_peer_recent(const struct peer *a, uint16_t id)
{
	size_t	 i, n = a->nrecent < PROBE_RECENT ? a->nrecent : PROBE_RECENT;

	for (i = 0; i < n; i++)
		if (a->recent[i] == id)
			return 1;
	return 0;
}

/* An ID no query of a's socket has now or had lately. */
uint16_t
probe_fresh_id(struct probe *p, const struct peer *a)
{
	uint16_t	 id;

	do
		id = random_id(p);
	while (probe_peer_query(a, id) != NULL || probe_peer_recent(a, id));
	return id;
}

/* The query no longer waits on its peer's socket. */
void
probe_leave_socket(struct query *q)
{
	struct peer	*a = q->peer;
	struct query	**pp;

	for (pp = &a->udp; *pp != NULL; pp = &(*pp)->unext)
		if (*pp == q) {
			*pp = q->unext;
			q->unext = NULL;
			a->recent[a->nrecent++ % PROBE_RECENT] = q->id;
			break;
		}
}

/* The lists are linked both ways: a query leaves one at once. */
void
probe_list_del(struct probe *p, struct query *q)
{
	if (q->list == L_NONE)
		return;
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		p->head[q->list] = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	else
		p->tail[q->list] = q->prev;
	if (q->list == L_TCPWAIT)
		p->ntcpwait--;
	q->next = q->prev = NULL;
	q->list = L_NONE;
}

/* To the end of list l: its deadline is the list's latest. */
void
probe_list_add(struct probe *p, struct query *q, enum qlist l)
{
	probe_list_del(p, q);
	q->list = l;
	q->next = NULL;
	q->prev = p->tail[l];
	if (p->tail[l] != NULL)
		p->tail[l]->next = q;
	else
		p->head[l] = q;
	p->tail[l] = q;
	if (l == L_TCPWAIT)
		p->ntcpwait++;
}

/* q's deadline, ms from now, on the list of that wait. */
void
probe_arm(struct query *q, enum qlist l, double ms)
{
	q->deadline = resolve_now_ms() + ms;
	probe_list_add(q->p, q, l);
}

/* Queued on its peer's list, and the peer on the probe's. */
void
probe_enqueue(struct probe *p, struct query *q)
{
	struct peer	*a = q->peer;

	q->next = NULL;
	if (a->queued_tail != NULL)
		a->queued_tail->next = q;
	else
		a->queued = q;
	a->queued_tail = q;
	p->nqueued++;
	if (a->inwait)
		return;
	a->inwait = 1;
	a->wnext = NULL;
	if (p->waiting_tail != NULL)
		p->waiting_tail->wnext = a;
	else
		p->waiting = a;
	p->waiting_tail = a;
}

/* The first query queued at a, taken off its list (a stays waiting). */
struct query *
probe_dequeue(struct probe *p, struct peer *a)
{
	struct query	*q = a->queued;

	if ((a->queued = q->next) == NULL)
		a->queued_tail = NULL;
	p->nqueued--;
	return q;
}

/* In flight from now on: counted against its peer's cap. */
void
probe_link(struct probe *p, struct query *q)
{
	q->peer->n++;
	p->nactive++;
	probe_list_add(p, q, L_UDP);
}

void
probe_unlink(struct probe *p, struct query *q)
{
	if (q->list == L_NONE)
		return;		/* not in flight */
	probe_list_del(p, q);
	p->nactive--;
	if (q->peer->n > 0)
		q->peer->n--;
	if (q->state == Q_UDP)
		probe_leave_socket(q);
}
