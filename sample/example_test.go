package sample_test

import (
	"fmt"
	"time"

	"github.com/ahunt/ahunt/sample"
)

// Generate a small demo tenant and look at what was planted in it.
func ExampleGenerate() {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	tn := sample.Generate(sample.Options{Seed: 1, Now: now, Scale: 0.1})
	a := tn.Attack
	fmt.Println(len(tn.Tables["DeviceProcessEvents"].Columns), "columns")
	fmt.Println("victim:", a.VictimDevice.Name)
	fmt.Println("beacons to", a.C2Domain, "every", a.BeaconInterval)
	fmt.Println("first step:", a.Steps[0].What)
	// Output:
	// 68 columns
	// victim: ws-1121.contoso.com
	// beacons to cdn-sync-updates.com every 5m0s
	// first step: phishing mail delivered to 5 mailboxes
}
