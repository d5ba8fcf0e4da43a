Console.WriteLine("Splicer.Bench: see a later issue");
