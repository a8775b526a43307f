namespace P2P.ApiKeys.Authentication;

/// <summary>The seam: hands each decided outcome to every registered <see cref="IApiKeyOutcomeObserver"/>, in order.</summary>
internal sealed class ApiKeyOutcomeObservers(IEnumerable<IApiKeyOutcomeObserver> observers)
{
    private readonly IApiKeyOutcomeObserver[] _observers = [.. observers];

    /// <summary>Whether any observer wants verifications timed (for example a listener on the duration histogram).</summary>
    public bool TimesVerifications
    {
        get
        {
            foreach (var observer in _observers)
            {
                if (observer.TimesVerifications)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public void Publish(in ApiKeyOutcomeEvent outcome)
    {
        foreach (var observer in _observers)
        {
            observer.OnOutcome(outcome);
        }
    }
}
