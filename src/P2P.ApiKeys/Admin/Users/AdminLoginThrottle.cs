using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>
/// Per-account lockout. Every password check is preceded by a reservation: the failure counter is raised (and,
/// from <see cref="AdminLockoutOptions.Threshold"/> on, the lockout set) in one conditional store write
/// <em>before</em> the password is verified, and a success clears it afterwards. So at most
/// <see cref="AdminLockoutOptions.Threshold"/> wrong passwords are ever checked per lockout period, however
/// many requests race, from however many addresses and nodes: each of them needs its own successful write.
/// </summary>
/// <remarks>
/// Unknown user names get the same counting, in a bounded table held by this node (see
/// <see cref="UnknownNameCapacity"/>), so that the lockout does not tell which accounts exist.
/// </remarks>
internal sealed class AdminLoginThrottle(IAdminUserStore users, IOptions<AdminOptions> options, TimeProvider clock)
{
    /// <summary>How many unknown user names this node tracks at most; the least recently tried goes first.</summary>
    public const int UnknownNameCapacity = 10_000;

    // Each lost race means another attempt was reserved; after the threshold the account is locked, so a
    // handful of retries always ends in a reservation or a lockout. Past them, the client retries later.
    private const int MaxTries = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<UnknownName>> _unknown = new(StringComparer.Ordinal);
    private readonly LinkedList<UnknownName> _unknownByUse = new();

    /// <summary>
    /// Reserves one password check for <paramref name="user"/>, or says how long to wait when the account is
    /// locked. An admin deleted meanwhile is reserved under its name like an unknown user.
    /// </summary>
    /// <returns>
    /// Whether the check may go ahead, how long to wait if not, and the failure count the reservation wrote
    /// (give it back to <see cref="ResetAsync"/> when the password proves right).
    /// </returns>
    public async ValueTask<(bool Reserved, TimeSpan RetryAfter, int ReservedCount)> ReserveAsync(AdminUser user, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var now = clock.GetUtcNow();
            if (user.LockoutEndsAt is { } endsAt && endsAt > now)
            {
                return (false, endsAt - now, 0);
            }

            var (count, lockoutEndsAt) = Next(user.FailedLoginCount, user.LockoutEndsAt, now);
            if (await users.TryUpdateLoginFailuresAsync(user.Id, user.FailedLoginCount, user.LockoutEndsAt, count, lockoutEndsAt, CancellationToken.None)
                .ConfigureAwait(false) == ApiKeyStoreResult.Success)
            {
                return (true, TimeSpan.Zero, count);
            }

            if (await users.FindByIdAsync(user.Id, ct).ConfigureAwait(false) is not { } fresh)
            {
                var (reserved, retryAfter) = ReserveUnknown(user.NormalizedUserName);
                return (reserved, retryAfter, 0);
            }

            user = fresh;
        }

        return (false, TimeSpan.FromSeconds(1), 0);
    }

    /// <summary>Reserves one (always failing) password check for a user name that has no account.</summary>
    public (bool Reserved, TimeSpan RetryAfter) ReserveUnknown(string normalizedUserName)
    {
        // Names longer than any account's are kept as a fixed-size digest: memory per entry stays bounded.
        var key = normalizedUserName.Length <= AdminUser.MaxUserNameLength
            ? normalizedUserName
            : "#" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedUserName)));
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_unknown.TryGetValue(key, out var node))
            {
                _unknownByUse.Remove(node);
            }
            else
            {
                if (_unknown.Count >= UnknownNameCapacity && _unknownByUse.First is { } oldest)
                {
                    _unknownByUse.RemoveFirst();
                    _unknown.Remove(oldest.Value.Key);
                }

                node = new LinkedListNode<UnknownName>(new UnknownName(key));
                _unknown.Add(key, node);
            }

            _unknownByUse.AddLast(node);
            var entry = node.Value;
            if (entry.LockoutEndsAt is { } endsAt && endsAt > now)
            {
                return (false, endsAt - now);
            }

            (entry.FailedLoginCount, entry.LockoutEndsAt) = Next(entry.FailedLoginCount, entry.LockoutEndsAt, now);
            return (true, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// After a correct password: forgets the failures counted up to and including this attempt's reservation
    /// (<paramref name="reservedCount"/>). Attempts reserved after it, still in flight, stay counted, and so does
    /// a lockout they reached.
    /// </summary>
    public async ValueTask ResetAsync(Guid id, int reservedCount, CancellationToken ct)
    {
        var threshold = options.Value.Lockout.Threshold;
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            if (await users.FindByIdAsync(id, ct).ConfigureAwait(false) is not { } user
                || (user.FailedLoginCount == 0 && user.LockoutEndsAt is null))
            {
                return;
            }

            var remaining = Math.Max(0, user.FailedLoginCount - reservedCount);
            var lockoutEndsAt = remaining >= threshold ? user.LockoutEndsAt : null;
            if (await users.TryUpdateLoginFailuresAsync(id, user.FailedLoginCount, user.LockoutEndsAt, remaining, lockoutEndsAt, CancellationToken.None)
                .ConfigureAwait(false) != ApiKeyStoreResult.Conflict)
            {
                return;
            }
        }
    }

    /// <summary>The number of unknown names tracked now (for tests).</summary>
    internal int UnknownNameCount
    {
        get
        {
            lock (_gate)
            {
                return _unknown.Count;
            }
        }
    }

    private (int Count, DateTimeOffset? LockoutEndsAt) Next(int failedLoginCount, DateTimeOffset? lockoutEndsAt, DateTimeOffset now)
    {
        var o = options.Value.Lockout;
        var count = Math.Min(failedLoginCount + 1, 1_000_000);
        if (count < o.Threshold)
        {
            return (count, lockoutEndsAt);
        }

        // The attempt that reaches the threshold starts the base delay; each further one doubles it, up to the
        // maximum. Set before the password is checked: a correct one clears it again.
        var doublings = Math.Min(count - o.Threshold, 30);
        var delay = TimeSpan.FromTicks((long)Math.Min(o.BaseDelay.Ticks * Math.Pow(2, doublings), o.MaxDelay.Ticks));
        return (count, now + delay);
    }

    private sealed class UnknownName(string key)
    {
        public string Key { get; } = key;

        public int FailedLoginCount { get; set; }

        public DateTimeOffset? LockoutEndsAt { get; set; }
    }
}
