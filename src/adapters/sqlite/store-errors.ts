/** The database was written by a newer wirewatch (it has migrations this build does not know). */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  readonly code = 'db-too-new';

  constructor(
    readonly databaseVersion: number,
    readonly supportedVersion: number,
    location: string | null,
  ) {
    super(
      `database${location ? ` ${location}` : ''} has schema version ${databaseVersion}, but this build of wirewatch ` +
        `supports up to version ${supportedVersion}; upgrade wirewatch or use another data directory`,
    );
  }
}

/** A database opened read-only is missing, or older than this build (only a read-write open migrates it). */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';

  constructor(
    readonly code: 'db-missing' | 'db-outdated',
    message: string,
  ) {
    super(message);
  }
}

/** A name is already used in that scope (a feed subscription or a watch); the caller should pick another. */
export class NameTakenError extends Error {
  override readonly name = 'NameTakenError';
  readonly code = 'name-taken';

  constructor(
    readonly kind: 'feed' | 'watch',
    readonly scope: string,
    readonly takenName: string,
  ) {
    super(`a ${kind} named "${takenName}" already exists in ${scope}`);
  }
}
