// Floor of recording one decision in SQLite on this machine: what the case book could reach at best.
//
// Inserts N decisions into a fresh WAL database with synchronous = NORMAL and 32 KiB pages, in transactions of
// 2,048 decisions through prepared statements, as `CaseBookRecorder` commits them, but with nothing else: no
// Swift, no hashing, no JSON. Prints wall time and CPU (user and system) per decision. Parcel ids are
// consecutive, as in a manifest.
//
// Rows as the case book stores them (the default): one row per decision shaped like its `decisions` rows (13
// columns: a decision line of DJ bytes and parcel JSON of PJ bytes, two 64-character hashes, the source and its
// sha256 id), with the `decisions_by_parcel` index.
//
// Packed (PACK > 1; a shape the case book does not have, measured to see what it would save): PACK decisions of
// DJ + PJ bytes in one blob row with 32-byte hashes, and one (parcel, seq) row per decision in an index table
// (WITHOUT ROWID), which reviews need to find a parcel's latest decision; INDEX 0 leaves that table out.
//
//   gcc -O2 -o /tmp/sqlite-floor Benchmarks/c/sqlite-insert-floor.c -lsqlite3
//   /tmp/sqlite-floor 200000 300 580          # decisions, decision line bytes, parcel JSON bytes (the bench's averages)
//   /tmp/sqlite-floor 200000 10 10            # the same rows with the two JSON columns nearly empty
//   /tmp/sqlite-floor 200000 300 580 64       # packed, 64 decisions a row, with the parcel index
//   /tmp/sqlite-floor 200000 300 580 64 0     # packed, without it
// Compare with `markgate-bench --pipeline --db` ("CaseBook.record: chain + insert + commit") in one sitting.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { transaction = 2048 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double cpu(int who_system) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    struct timeval t = who_system ? usage.ru_stime : usage.ru_utime;
    return t.tv_sec + t.tv_usec * 1e-6;
}

static void exec(sqlite3 *db, const char *sql) {
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, error);
        exit(1);
    }
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
        exit(1);
    }
    return statement;
}

static void step(sqlite3 *db, sqlite3_stmt *statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_reset(statement);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s DECISIONS DECISION_BYTES PARCEL_BYTES [PACK [INDEX]]\n", argv[0]);
        return 2;
    }
    int rows = atoi(argv[1]), decisionBytes = atoi(argv[2]), parcelBytes = atoi(argv[3]);
    int pack = argc > 4 ? atoi(argv[4]) : 1, indexed = argc > 5 ? atoi(argv[5]) : 1;
    if (rows < 1 || decisionBytes < 1 || parcelBytes < 1 || pack < 1) {
        fprintf(stderr, "DECISIONS, DECISION_BYTES, PARCEL_BYTES and PACK must be 1 or more\n");
        return 2;
    }
    char path[] = "/tmp/sqlite-floor-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) return 1;
    exec(db, "PRAGMA page_size = 32768");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = NORMAL");
    sqlite3_stmt *insert, *index = NULL;
    if (pack == 1) {
        exec(db, "CREATE TABLE decisions (seq INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, parcel TEXT, "
                 "source TEXT NOT NULL, source_id TEXT NOT NULL, ordinal INTEGER NOT NULL, kind TEXT NOT NULL, "
                 "score REAL, decision_json TEXT NOT NULL, parcel_json TEXT, recorded TEXT NOT NULL, "
                 "prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL)");
        exec(db, "CREATE INDEX decisions_by_parcel ON decisions (parcel, seq)");
        insert = prepare(db, "INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    } else {
        exec(db, "CREATE TABLE decision_pages (first_seq INTEGER PRIMARY KEY, count INTEGER NOT NULL, "
                 "body BLOB NOT NULL, prev_hash BLOB NOT NULL, page_hash BLOB NOT NULL)");
        insert = prepare(db, "INSERT INTO decision_pages VALUES (?,?,?,?,?)");
        if (indexed) {
            exec(db, "CREATE TABLE decisions_by_parcel (parcel TEXT NOT NULL, seq INTEGER NOT NULL, "
                     "PRIMARY KEY (parcel, seq)) WITHOUT ROWID");
            index = prepare(db, "INSERT INTO decisions_by_parcel VALUES (?,?)");
        }
    }
    char *decision = malloc(decisionBytes), *parcel = malloc(parcelBytes);
    char *page = malloc((size_t)(decisionBytes + parcelBytes) * pack);
    memset(decision, 'd', decisionBytes);
    memset(parcel, 'p', parcelBytes);
    memset(page, 'd', (size_t)(decisionBytes + parcelBytes) * pack);
    const char *hash = "5f1d4cbb0e2a4b8f9a7c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";
    const char *sourceID = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    double wall0 = now(), user0 = cpu(0), system0 = cpu(1);
    for (int row = 0; row < rows; row++) {
        if (row % transaction == 0) exec(db, "BEGIN IMMEDIATE");
        char id[32];
        int idLength = snprintf(id, sizeof id, "P%09d", row);
        if (pack == 1) {
            sqlite3_bind_int64(insert, 1, row + 1);
            sqlite3_bind_int64(insert, 2, 1);
            sqlite3_bind_text(insert, 3, id, idLength, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, 4, "/data/manifest-2026-11-21.csv", -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 5, sourceID, -1, SQLITE_STATIC);
            sqlite3_bind_int64(insert, 6, row);
            sqlite3_bind_text(insert, 7, "clear", -1, SQLITE_STATIC);
            sqlite3_bind_double(insert, 8, 0.05);
            sqlite3_bind_text(insert, 9, decision, decisionBytes, SQLITE_STATIC);
            sqlite3_bind_text(insert, 10, parcel, parcelBytes, SQLITE_STATIC);
            sqlite3_bind_text(insert, 11, "2026-11-21T18:40:12.345Z", -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 12, hash, 64, SQLITE_STATIC);
            sqlite3_bind_text(insert, 13, hash, 64, SQLITE_STATIC);
            step(db, insert);
        } else {
            if (index) {
                sqlite3_bind_text(index, 1, id, idLength, SQLITE_TRANSIENT);
                sqlite3_bind_int64(index, 2, row + 1);
                step(db, index);
            }
            if (row % pack == pack - 1 || row == rows - 1) {
                int count = row % pack + 1;
                sqlite3_bind_int64(insert, 1, row - count + 2);
                sqlite3_bind_int64(insert, 2, count);
                sqlite3_bind_blob(insert, 3, page, (decisionBytes + parcelBytes) * count, SQLITE_STATIC);
                sqlite3_bind_blob(insert, 4, hash, 32, SQLITE_STATIC);
                sqlite3_bind_blob(insert, 5, hash, 32, SQLITE_STATIC);
                step(db, insert);
            }
        }
        if (row % transaction == transaction - 1 || row == rows - 1) exec(db, "COMMIT");
    }
    double wall = now() - wall0, user = cpu(0) - user0, system = cpu(1) - system0;
    printf("%d decisions (decision line %d bytes, parcel JSON %d bytes; ", rows, decisionBytes, parcelBytes);
    if (pack == 1) {
        printf("a row each");
    } else {
        printf("%d a row, %s", pack, index ? "with the parcel index" : "no index");
    }
    printf("): %.2f µs a decision wall, CPU %.2f µs (user %.2f, system %.2f)\n", wall / rows * 1e6,
           (user + system) / rows * 1e6, user / rows * 1e6, system / rows * 1e6);
    sqlite3_finalize(insert);
    if (index) sqlite3_finalize(index);
    sqlite3_close(db);
    char wal[64], shm[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(path);
    unlink(wal);
    unlink(shm);
    return 0;
}
