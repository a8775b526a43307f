namespace P2P.ApiKeys.KeyFormat;

/// <summary>Why a presented string is, or is not, a well-formed API key.</summary>
internal enum ApiKeyParseStatus
{
    Valid = 0,
    Empty,
    WrongLength,
    WrongPrefix,
    BadSeparator,
    InvalidCharacter,
    BadChecksum,
}
