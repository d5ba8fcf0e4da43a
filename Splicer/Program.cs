using Splicer.Hosting;

return await SplicerHost.RunAsync(args);
