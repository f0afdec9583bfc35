// Floor of recording one decision row in SQLite on this machine: what the case book could reach at best.
//
// Inserts N rows shaped like the case book's `decisions` rows (13 columns; a decision line of DJ bytes and parcel
// JSON of PJ bytes, two 64-character hashes, the source and its sha256 id) into a fresh WAL database with
// synchronous = NORMAL, 32 KiB pages and the `decisions_by_parcel` index, in transactions of 512 rows through one
// prepared statement, as `CaseBook.record` does, but with nothing else: no Swift, no hashing, no JSON. Prints
// wall time and CPU (user and system) per row. Parcel ids are consecutive, as in a manifest.
//
//   gcc -O2 -o /tmp/sqlite-floor Benchmarks/c/sqlite-insert-floor.c -lsqlite3
//   /tmp/sqlite-floor 200000 300 580      # rows, decision line bytes, parcel JSON bytes (the bench's averages)
//   /tmp/sqlite-floor 200000 10 10        # the same rows with the two JSON columns nearly empty
// Compare with `markgate-bench --pipeline --db` ("CaseBook.record: chain + insert + commit") in one sitting.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s ROWS DECISION_BYTES PARCEL_BYTES\n", argv[0]);
        return 2;
    }
    int rows = atoi(argv[1]), decisionBytes = atoi(argv[2]), parcelBytes = atoi(argv[3]);
    char path[] = "/tmp/sqlite-floor-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) return 1;
    exec(db, "PRAGMA page_size = 32768");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = NORMAL");
    exec(db, "CREATE TABLE decisions (seq INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, parcel TEXT, "
             "source TEXT NOT NULL, source_id TEXT NOT NULL, ordinal INTEGER NOT NULL, kind TEXT NOT NULL, "
             "score REAL, decision_json TEXT NOT NULL, parcel_json TEXT, recorded TEXT NOT NULL, "
             "prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL)");
    exec(db, "CREATE INDEX decisions_by_parcel ON decisions (parcel, seq)");
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &insert, NULL);
    char *decision = malloc(decisionBytes), *parcel = malloc(parcelBytes);
    memset(decision, 'd', decisionBytes);
    memset(parcel, 'p', parcelBytes);
    const char *hash = "5f1d4cbb0e2a4b8f9a7c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";
    const char *sourceID = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    double wall0 = now(), user0 = cpu(0), system0 = cpu(1);
    for (int row = 0; row < rows; row++) {
        if (row % 512 == 0) exec(db, "BEGIN IMMEDIATE");
        char id[32];
        int idLength = snprintf(id, sizeof id, "P%09d", row);
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
        if (sqlite3_step(insert) != SQLITE_DONE) {
            fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(insert);
        if (row % 512 == 511 || row == rows - 1) exec(db, "COMMIT");
    }
    double wall = now() - wall0, user = cpu(0) - user0, system = cpu(1) - system0;
    printf("%d rows (decision line %d bytes, parcel JSON %d bytes): %.2f µs a row wall, CPU %.2f µs "
           "(user %.2f, system %.2f)\n", rows, decisionBytes, parcelBytes, wall / rows * 1e6,
           (user + system) / rows * 1e6, user / rows * 1e6, system / rows * 1e6);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    char wal[64], shm[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(path);
    unlink(wal);
    unlink(shm);
    return 0;
}
