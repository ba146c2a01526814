/* shmshim.so: System V shared memory for fio in a guest kernel built without
 * CONFIG_SYSVIPC (shmget fails with ENOSYS there). fio keeps its job table in a
 * private shm segment that it attaches once and shares with the job processes
 * it forks; an anonymous MAP_SHARED mapping behaves the same across fork. Only
 * what fio uses: IPC_PRIVATE segments, shmat, shmdt, shmctl IPC_RMID/IPC_STAT.
 * It touches none of the I/O that daxlab tests.
 *
 * Use: LD_PRELOAD=BINDIR/shmshim.so fio ...  (compile.ts builds *.so.c with -shared) */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>

#define SHIM_SEGMENTS 64

static struct {
	void *addr;
	size_t size;
} segs[SHIM_SEGMENTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* A new segment, mapped at once so every shmat of it sees the same memory. */
int shmget(key_t key, size_t size, int flags)
{
	(void)flags;
	if (key != IPC_PRIVATE || size == 0) {
		errno = key != IPC_PRIVATE ? ENOSYS : EINVAL;
		return -1;
	}
	void *a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return -1;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < SHIM_SEGMENTS; i++) {
		if (!segs[i].addr) {
			segs[i].addr = a;
			segs[i].size = size;
			pthread_mutex_unlock(&lock);
			return i;
		}
	}
	pthread_mutex_unlock(&lock);
	munmap(a, size);
	errno = ENOSPC;
	return -1;
}

/* The segment's one mapping. */
void *shmat(int id, const void *addr, int flags)
{
	(void)flags;
	if (id < 0 || id >= SHIM_SEGMENTS || !segs[id].addr || addr) {
		errno = EINVAL;
		return (void *)-1;
	}
	return segs[id].addr;
}

/* Unmap the segment mapped at addr and forget it. */
int shmdt(const void *addr)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < SHIM_SEGMENTS; i++) {
		if (segs[i].addr == addr) {
			munmap(segs[i].addr, segs[i].size);
			segs[i].addr = NULL;
			pthread_mutex_unlock(&lock);
			return 0;
		}
	}
	pthread_mutex_unlock(&lock);
	errno = EINVAL;
	return -1;
}

/* IPC_RMID is a no-op (the mapping goes with shmdt or exit); IPC_STAT reports the size. */
int shmctl(int id, int cmd, struct shmid_ds *buf)
{
	if (id < 0 || id >= SHIM_SEGMENTS || !segs[id].addr) {
		errno = EINVAL;
		return -1;
	}
	if (cmd == IPC_RMID)
		return 0;
	if (cmd == IPC_STAT && buf) {
		memset(buf, 0, sizeof *buf);
		buf->shm_segsz = segs[id].size;
		return 0;
	}
	errno = EINVAL;
	return -1;
}
