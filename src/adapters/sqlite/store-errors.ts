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
