using Microsoft.Extensions.Options;

namespace Splicer.Transport;

/// <summary>With TLS on, both files must be there and make a certificate with its key: else start-up stops, naming the key.</summary>
internal sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.Certificate) || string.IsNullOrWhiteSpace(options.Key))
        {
            var missing = string.IsNullOrWhiteSpace(options.Certificate) ? "Certificate" : "Key";
            return ValidateOptionsResult.Fail($"{TlsOptions.SectionName}:{missing} must name a PEM file when the other TLS file is set.");
        }

        if (options.OfferedProtocols.Any(protocol => protocol.Length is 0 or > 255))
        {
            return ValidateOptionsResult.Fail($"{TlsOptions.SectionName}:ApplicationProtocols entries must be 1 to 255 characters long.");
        }

        try
        {
            var certificate = TlsCertificate.Load(options.Certificate, options.Key);
            return certificate.Leaf.NotAfter < DateTime.Now
                ? ValidateOptionsResult.Fail($"{TlsOptions.SectionName}:Certificate '{options.Certificate}' expired on {certificate.Leaf.NotAfter:u}.")
                : ValidateOptionsResult.Success;
        }
        catch (TlsCertificateException ex)
        {
            return ValidateOptionsResult.Fail($"{TlsOptions.SectionName}:{ex.Key} {ex.Message}.");
        }
    }
}
