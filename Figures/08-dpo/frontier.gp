# Gold score against KL to SFT: DPO's β sweep beside PPO's kl_coef sweep
# Render from this directory: gnuplot frontier.gp  (writes frontier.png)
if (!exists("outfile")) outfile = 'frontier.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Gold score against KL to SFT: DPO''s β sweep beside PPO''s kl_coef sweep'
set xlabel 'KL(π ‖ π_SFT) on held-out answers (nats per answer)'
set ylabel 'gold score (0-10)'
set key bottom right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'frontier.dat' index 0 using 1:($2-$3):($2+$3) with filledcurves lc 1 notitle, \
     'frontier.dat' index 1 using 1:($2-$3):($2+$3) with filledcurves lc 2 notitle, \
     'frontier.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'DPO, β = 0.05, 0.1, 0.5, 1', \
     'frontier.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'PPO, kl_coef sweep'
