namespace Splicer.Client.Paths.DirectLeg;

/// <param name="Window">How long to keep dialling and accepting after the advised wait.</param>
/// <param name="ExtraDelay">Added to the advised wait (a test's late side).</param>
/// <param name="RetryInterval">
/// The pause before dialling again after a refused or reset SYN, varied ±50 % each time. Only a router that answers
/// unsolicited SYNs with a reset causes retries, and then the two sides' SYNs must cross within one one-way delay: short,
/// jittered retries give many independent chances, where fixed ones would repeat the same miss in lock step.
/// </param>
/// <param name="AgreementTimeout">How long the choosing side waits for the other to agree on its choice.</param>
/// <param name="BirthdaySockets">How many connections this side tries when birthday probing (<see cref="BirthdayProbing"/>).</param>
/// <param name="ProbeLead">How much later than the spraying side the probing side starts, so the mappings it aims at exist.</param>
public sealed record DirectPathOptions(
    TimeSpan Window, TimeSpan ExtraDelay, TimeSpan RetryInterval, TimeSpan AgreementTimeout, int BirthdaySockets, TimeSpan ProbeLead)
{
    /// <summary>Each a socket and a SYN; more looks like a port scan to the networks on the way.</summary>
    public const int MaxBirthdaySockets = 4096;

    public static DirectPathOptions Default { get; } = new(
        TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), 256, TimeSpan.FromMilliseconds(250));
}
