# Gold score against KL to SFT, every method (TPO has no KL: its answers come from a search)
# Render from this directory: gnuplot frontier.gp  (writes frontier.png)
if (!exists("outfile")) outfile = 'frontier.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Gold score against KL to SFT, every method (TPO has no KL: its answers come from a search)'
set xlabel 'KL(π ‖ π_SFT) on held-out answers (nats per answer)'
set ylabel 'gold score (0-10)'
set key bottom right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'frontier.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'PPO, kl_coef sweep', \
     'frontier.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'DPO, β sweep', \
     'frontier.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'best-of-4 (KL bound)', \
     'frontier.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'TRPO', \
     'frontier.dat' index 4 using 1:2 with lines lw 2 lc 5 title 'vanilla PG', \
     'frontier.dat' index 5 using 1:2 with lines lw 2 lc 6 title 'GRPO'
