package api_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ahunt/ahunt/api"
)

// A remote backend behind a budget: waits are reported as they start, and
// a wait over two minutes fails at once with the time it would have been.
func ExampleLimit() {
	be, err := api.NewRemote(api.Config{
		API:          "graph",
		TenantID:     "contoso.onmicrosoft.com",
		ClientID:     "00000000-0000-0000-0000-000000000000",
		ClientSecret: os.Getenv("AZURE_CLIENT_SECRET"),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	budget := api.NewBudget(api.DefaultLimits(), api.NewMemoryLedger(),
		"contoso/graph", api.WithMaxWait(2*time.Minute),
		api.WithOnWait(func(w api.Wait) { fmt.Fprintln(os.Stderr, w) }))
	hunt := api.Limit(be, budget)
	res, err := hunt.Run(context.Background(), api.Query{
		Text:     "DeviceProcessEvents\n| where FileName =~ \"powershell.exe\"",
		Timespan: "P7D",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(res.Table.Rows(), "rows")
}
