namespace P2P.ApiKeys.Cli;

/// <summary>The exit codes of <c>p2p-keys</c>, documented in README.md; scripts branch on them, so they never change.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>The API refused the request as invalid (400, 413, 415, 422 and other 4xx not listed below).</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong: unknown command or option, missing value, bad URL, duration or id, no password source.</summary>
    public const int Usage = 2;

    /// <summary>Not signed in, the token expired, or the API answered 401 or 403.</summary>
    public const int Unauthorized = 3;

    /// <summary>The API answered 404: no such key.</summary>
    public const int NotFound = 4;

    /// <summary>The API answered 409: the state changed meanwhile (already revoked, rotated, an admin exists).</summary>
    public const int Conflict = 5;

    /// <summary>The API could not be reached, timed out, redirected, answered 429 or 5xx.</summary>
    public const int Unavailable = 6;

    /// <summary>A local file (the credentials file, the <c>--write-env</c> file) could not be read or written.</summary>
    public const int FileError = 7;
}
