/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * state-store.c: the LMDB-backed state store, see state-store.h. One environment, the unnamed
 * database, one lazily begun write transaction at a time.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state-store.h"

/* Address space only: the file on tmpfs grows with what is stored. */
#define STATE_STORE_MAP_SIZE ((size_t) 1 << 30)

struct StateStore {
        char *path;
        MDB_env *env;
        MDB_dbi dbi;
        MDB_txn *txn; /* the open write transaction, NULL if none */
        unsigned long n_commits;
};

static int mdb_to_errno(int r) {
        if (r == 0)
                return 0;
        if (r > 0)
                return -r;
        switch (r) {
        case MDB_NOTFOUND:
                return -ENOENT;
        case MDB_MAP_FULL:
        case MDB_TXN_FULL:
                return -ENOSPC;
        case MDB_INVALID:
        case MDB_VERSION_MISMATCH:
        case MDB_CORRUPTED:
                return -EBADMSG;
        default:
                return -EIO;
        }
}

static int begin_write(StateStore *s) {
        if (s->txn)
                return 0;
        return mdb_to_errno(mdb_txn_begin(s->env, NULL, 0, &s->txn));
}

/* A new environment on the file at path, with its unnamed database opened. */
static int open_env(const char *path, MDB_env **ret_env, MDB_dbi *ret_dbi) {
        MDB_env *env;
        MDB_txn *txn = NULL;
        int r;

        r = mdb_to_errno(mdb_env_create(&env));
        if (r < 0)
                return r;
        r = mdb_to_errno(mdb_env_set_mapsize(env, STATE_STORE_MAP_SIZE));
        if (r >= 0)
                r = mdb_to_errno(mdb_env_open(env, path,
                                              MDB_NOSUBDIR | MDB_NOSYNC | MDB_NOMETASYNC | MDB_NOLOCK |
                                                      MDB_NORDAHEAD,
                                              0600));
        if (r >= 0) {
                mdb_filehandle_t fd;

                /* LMDB opens the file without O_CLOEXEC: no child inherits it (a re-executed
                 * manager opens the store again by its path) */
                if (mdb_env_get_fd(env, &fd) == 0)
                        (void) fcntl(fd, F_SETFD, FD_CLOEXEC);
                r = mdb_to_errno(mdb_txn_begin(env, NULL, 0, &txn));
        }
        if (r >= 0) {
                r = mdb_to_errno(mdb_dbi_open(txn, NULL, 0, ret_dbi));
                if (r >= 0)
                        r = mdb_to_errno(mdb_txn_commit(txn));
                else
                        mdb_txn_abort(txn);
        }
        if (r < 0) {
                mdb_env_close(env);
                return r;
        }
        *ret_env = env;
        return 0;
}

int state_store_open(const char *path, bool keep, StateStore **ret) {
        StateStore *s;
        int r;

        assert(path);
        assert(ret);
        if (!keep && unlink(path) < 0 && errno != ENOENT)
                return -errno;
        s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->path = strdup(path);
        r = s->path ? open_env(path, &s->env, &s->dbi) : -ENOMEM;
        if (r < 0) {
                free(s->path);
                free(s);
                return r;
        }
        *ret = s;
        return 0;
}

int state_store_release_cache(StateStore *s) {
        MDB_env *env;
        MDB_dbi dbi;
        int r;

        assert(s);
        if (s->txn)
                return 0;
        /* the new environment first: should that fail, the old one stays */
        r = open_env(s->path, &env, &dbi);
        if (r < 0)
                return r;
        mdb_env_close(s->env);
        s->env = env;
        s->dbi = dbi;
        return 1;
}

StateStore *state_store_free(StateStore *s) {
        if (!s)
                return NULL;
        if (s->txn)
                mdb_txn_abort(s->txn);
        mdb_env_close(s->env);
        free(s->path);
        free(s);
        return NULL;
}

int state_store_begin(StateStore *s) {
        assert(s);
        return begin_write(s);
}

static MDB_val key_val(const char *key) {
        return (MDB_val) { .mv_size = strlen(key), .mv_data = (void *) key };
}

/* A change: a valid key and the write transaction begun. */
static int begin_change(StateStore *s, const char *key, MDB_val *ret) {
        *ret = key_val(key);
        if (ret->mv_size == 0 || ret->mv_size > (size_t) mdb_env_get_maxkeysize(s->env))
                return -EINVAL;
        return begin_write(s);
}

int state_store_put(StateStore *s, const char *key, const void *data, size_t size) {
        MDB_val k, v = { .mv_size = size, .mv_data = (void *) data };
        int r;

        assert(s);
        r = begin_change(s, key, &k);
        if (r < 0)
                return r;
        return mdb_to_errno(mdb_put(s->txn, s->dbi, &k, &v, 0));
}

int state_store_delete(StateStore *s, const char *key) {
        MDB_val k;
        int r;

        assert(s);
        r = begin_change(s, key, &k);
        if (r < 0)
                return r;
        r = mdb_to_errno(mdb_del(s->txn, s->dbi, &k, NULL));
        return r == -ENOENT ? 0 : r;
}

int state_store_commit(StateStore *s) {
        int r;

        assert(s);
        if (!s->txn)
                return 0;
        r = mdb_to_errno(mdb_txn_commit(s->txn));
        s->txn = NULL;
        if (r < 0)
                return r;
        s->n_commits++;
        return 1;
}

bool state_store_pending(const StateStore *s) {
        return s && s->txn;
}

unsigned long state_store_n_commits(const StateStore *s) {
        return s ? s->n_commits : 0;
}

/* The open write transaction, or a new read-only one (*owned set). */
static int read_txn(StateStore *s, MDB_txn **ret, bool *owned) {
        if (s->txn) {
                *ret = s->txn;
                *owned = false;
                return 0;
        }
        *owned = true;
        return mdb_to_errno(mdb_txn_begin(s->env, NULL, MDB_RDONLY, ret));
}

int state_store_foreach(StateStore *s, const char *prefix, StateStoreVisitor visit, void *userdata) {
        size_t plen = strlen(prefix);
        MDB_cursor *c = NULL;
        MDB_txn *txn;
        MDB_val k = { .mv_size = plen, .mv_data = (void *) prefix }, v;
        bool owned;
        int r, op = MDB_SET_RANGE;

        assert(s);
        assert(visit);
        r = read_txn(s, &txn, &owned);
        if (r < 0)
                return r;
        r = mdb_to_errno(mdb_cursor_open(txn, s->dbi, &c));
        if (plen == 0)
                op = MDB_FIRST;
        while (r >= 0) {
                char key[512];
                int q = mdb_cursor_get(c, &k, &v, op);

                op = MDB_NEXT;
                if (q == MDB_NOTFOUND)
                        break;
                r = mdb_to_errno(q);
                if (r < 0)
                        break;
                if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
                        break;
                if (k.mv_size >= sizeof(key))
                        continue; /* we never write such keys */
                memcpy(key, k.mv_data, k.mv_size);
                key[k.mv_size] = 0;
                r = visit(key, v.mv_data, v.mv_size, userdata);
        }
        if (c)
                mdb_cursor_close(c);
        if (owned)
                mdb_txn_abort(txn);
        return r < 0 ? r : 0;
}

int state_store_get(StateStore *s, const char *key, char **ret, size_t *ret_size) {
        MDB_val k = key_val(key), v;
        MDB_txn *txn;
        bool owned;
        char *copy = NULL;
        int r;

        assert(s);
        assert(ret);
        r = read_txn(s, &txn, &owned);
        if (r < 0)
                return r;
        r = mdb_to_errno(mdb_get(txn, s->dbi, &k, &v));
        if (r >= 0) {
                copy = malloc(v.mv_size + 1);
                if (copy) {
                        memcpy(copy, v.mv_data, v.mv_size);
                        copy[v.mv_size] = 0;
                } else
                        r = -ENOMEM;
        }
        if (owned)
                mdb_txn_abort(txn);
        if (r < 0)
                return r;
        *ret = copy;
        if (ret_size)
                *ret_size = v.mv_size;
        return 0;
}
