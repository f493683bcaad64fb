// `pmw incident show KEY` — the command people run most — from its own small bundle
// (dist/main/cli-read.cjs, ~300 KB against cli-app.cjs's 2 MB), so that it starts like a native tool (issue 14).
// It opens, upgrades, backs up and cleans up the store exactly as every other command does
// (main/store/open.ts), reads the incident through the app's own service, maps errors as the app does
// and prints what the full command prints (./show.ts). The CLI entry (./index.ts, fastShow) sends here
// only a well-formed `incident show KEY`; anything else goes to the full bundle (./app-commands.ts).
import { resolveDbPath } from '../store/paths';
import { closeStore, corruptAtRead, openStore, startupHousekeeping } from '../store/open';
import { isCorruptionError } from '../store/db';
import { storeError } from '../store/tx';
import { IncidentService, systemClock } from '../services/incidents';
import type { Incident } from '../../shared/domain';
import { str } from './args';
import { cliRunner, migrationNotice } from './common';
import { showIncident } from './show';

export const incidentShow = cliRunner(async (a, io) => {
  const key = a.positionals[2];
  const dbPath = resolveDbPath(str(a.flags, 'db'));
  const { db, blobFile } = openStore({ dbPath, onMigrate: migrationNotice(dbPath) });
  try {
    // As the app does for the CLI: dead writers' blob sets, stale uploads, then the daily backup if due.
    startupHousekeeping(db, blobFile, { dbPath, daily: true });
    let inc: Incident;
    try {
      inc = new IncidentService(db, systemClock).get(key);
    } catch (e) {
      throw isCorruptionError(e) ? corruptAtRead(dbPath, e) : storeError(e);
    }
    io.out(a.flags.json === true ? JSON.stringify(inc, null, 2) + '\n' : showIncident(inc));
    return 0;
  } finally {
    closeStore(db, blobFile);
  }
});
