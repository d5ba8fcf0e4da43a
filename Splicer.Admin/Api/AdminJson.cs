using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Splicer.Admin;
using Splicer.Admin.Hosting;
using Splicer.Admin.Live;

namespace Splicer.Admin.Api;

/// <summary>
/// Every type the admin API reads or writes, serialized by generated code: the small-box build is
/// NativeAOT, which has no reflection-based serializer. The API's resolver chain holds only this
/// context, so a type missing here fails every build's tests, not only the box's.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RelayStats))]
[JsonSerializable(typeof(ThroughputSample[]))]
[JsonSerializable(typeof(IReadOnlyList<ActiveSession>))]
[JsonSerializable(typeof(IReadOnlyList<EndedSession>))]
[JsonSerializable(typeof(RelayHint))]
[JsonSerializable(typeof(FleetView))]
[JsonSerializable(typeof(AntiforgeryToken))]
[JsonSerializable(typeof(LiveUpdate))]
[JsonSerializable(typeof(IdentityView))]
[JsonSerializable(typeof(IReadOnlyList<IdentityView>))]
[JsonSerializable(typeof(IdentityView[]))]
[JsonSerializable(typeof(DoorView))]
[JsonSerializable(typeof(IReadOnlyList<DoorView>))]
[JsonSerializable(typeof(DoorView[]))]
[JsonSerializable(typeof(OpenDoorAnswer))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(BoxKeyView))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(IdentityUsageReport))]
[JsonSerializable(typeof(DoorOpenRequest))]
[JsonSerializable(typeof(DoorCloseRequest))]
[JsonSerializable(typeof(IdentityAddRequest))]
[JsonSerializable(typeof(QuotaView))]
[JsonSerializable(typeof(SystemView))]
[JsonSerializable(typeof(SystemAccepted))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(object))]
public sealed partial class AdminJson : JsonSerializerContext
{
    /// <summary>The metadata of <typeparamref name="T"/>; a type not listed above fails here, at once.</summary>
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
